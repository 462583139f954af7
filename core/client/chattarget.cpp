#include "core/client/chattarget.h"

#include "core/actions/hostaccess.h"
#include "core/client/chatrequest.h"
#include "core/protocol/curlcommand.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace boo {

QString ChatTarget::label() const
{
    return provider.isEmpty() ? model : provider + u'/' + model;
}

QString ChatTarget::curlCommand(const ChatRequest &request) const
{
    const QString url = endpoint.url(u"/v1/chat/completions"_s).adjusted(QUrl::RemoveUserInfo).toString();
    QString out = u"curl -N "_s + CurlCommand::shellQuote(url)
        + u" \\\n  -H 'Content-Type: application/json' \\\n  -H 'X-Boo-Source: playground'"_s;
    if (!endpoint.apiKey().isEmpty()) {
        const QString variable = kind == Kind::Gateway ? u"BOO_TOKEN"_s : u"LLAMA_SWAP_API_KEY"_s;
        out += u" \\\n  -H \"Authorization: Bearer $"_s + variable + u'"';
    }
    const QByteArray body = QJsonDocument(request.toJson(model)).toJson(QJsonDocument::Indented);
    // A quoted here-document: any byte of JSON is safe in a POSIX shell.
    out += u" \\\n  --data-binary @- <<'BOO_JSON'\n"_s + QString::fromUtf8(body) + u"BOO_JSON\n"_s;
    return out;
}

Result<ChatTarget> ChatTarget::direct(const HostAccess &access, const QString &provider, const QString &model)
{
    const std::optional<HostEndpoint> endpoint = access.endpoint(provider);
    if (!endpoint)
        return makeError(u"chat.unknown_host"_s, u"no watched host is called \"%1\""_s.arg(provider));
    return ChatTarget{Kind::Host, *endpoint, model, provider};
}

ChatTarget ChatTarget::gateway(const QUrl &serverUrl, const QString &token, const QString &model)
{
    return ChatTarget{Kind::Gateway, HostEndpoint(serverUrl, token), model, {}};
}

} // namespace boo
