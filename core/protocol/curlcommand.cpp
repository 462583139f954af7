#include "core/protocol/curlcommand.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace boo {

QString CurlCommand::shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(u'\'', u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

QString CurlCommand::fromCapture(const Capture &capture, const QUrl &baseUrl)
{
    static const QStringList skipped{u"content-length"_s, u"host"_s, u"connection"_s, u"accept-encoding"_s, u"transfer-encoding"_s};
    QString base = baseUrl.toString(QUrl::RemoveUserInfo);
    while (base.endsWith(u'/'))
        base.chop(1);
    QStringList lines{u"curl -sS -N -X %1 %2"_s.arg(capture.reqBody ? u"POST"_s : u"GET"_s, shellQuote(base + capture.reqPath))};
    for (auto it = capture.reqHeaders.cbegin(); it != capture.reqHeaders.cend(); ++it) {
        const QString name = it.key();
        if (skipped.contains(name.toLower()))
            continue;
        // Credentials an older host did not redact are kept out of the command all the same.
        static const QStringList secret{u"authorization"_s, u"proxy-authorization"_s, u"x-api-key"_s, u"api-key"_s, u"cookie"_s};
        if (it.value() == u"[REDACTED]"_s || secret.contains(name.toLower())) {
            const bool bearer = name.compare(u"Authorization"_s, Qt::CaseInsensitive) == 0;
            lines << u"  -H \"%1: %2$LLAMA_SWAP_API_KEY\""_s.arg(name, bearer ? u"Bearer "_s : QString());
            continue;
        }
        lines << u"  -H "_s + shellQuote(name + u": "_s + it.value());
    }
    QString command;
    if (capture.reqBody && !capture.reqBody->isEmpty()) {
        lines << u"  --data-binary @- <<'BOO_REQUEST_BODY'"_s;
        command = lines.join(u" \\\n"_s) + u'\n' + QString::fromUtf8(*capture.reqBody);
        if (!command.endsWith(u'\n'))
            command += u'\n';
        command += u"BOO_REQUEST_BODY"_s;
    } else {
        command = lines.join(u" \\\n"_s);
    }
    return command;
}

} // namespace boo
