#include "core/http/httprequest.h"

#include "core/common/hexdigit.h"

using namespace Qt::StringLiterals;

namespace boo {

std::optional<QByteArray> HttpRequest::percentDecode(QByteArrayView in, bool plusIsSpace)
{
    if (!in.contains('%') && !(plusIsSpace && in.contains('+')))
        return QByteArray(in.data(), in.size());
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size())
                return std::nullopt;
            const int hi = hexDigitValue(in[i + 1]);
            const int lo = hexDigitValue(in[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            out.append(char(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            out.append(' ');
        } else {
            out.append(c);
        }
    }
    return out;
}

bool HttpRequest::setTarget(QByteArray target)
{
    m_target = std::move(target);
    QByteArrayView pathPart = m_target;
    m_hasQuery = false;
    m_rawQuery.clear();
    m_queryItems.clear();

    // absolute-form (RFC 9112 §3.2.2): keep only the path and query.
    if (pathPart.startsWith("http://") || pathPart.startsWith("https://")) {
        qsizetype end = pathPart.indexOf("//") + 2;
        while (end < pathPart.size() && pathPart[end] != '/' && pathPart[end] != '?')
            ++end;
        pathPart = pathPart.sliced(end);
    }
    const qsizetype q = pathPart.indexOf('?');
    if (q >= 0) {
        m_hasQuery = true;
        m_rawQuery = pathPart.sliced(q + 1).toByteArray();
        pathPart = pathPart.first(q);
    }
    m_rawPath = pathPart.isEmpty() ? "/"_ba : pathPart.toByteArray();

    const auto decoded = percentDecode(m_rawPath, false);
    if (!decoded)
        return false;
    m_path = QString::fromUtf8(*decoded);

    for (const QByteArray &pair : m_rawQuery.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const auto key = percentDecode(QByteArrayView(pair).first(eq < 0 ? pair.size() : eq), true);
        const auto value = eq < 0 ? std::optional<QByteArray>(QByteArray()) : percentDecode(QByteArrayView(pair).sliced(eq + 1), true);
        if (!key || !value)
            continue;
        m_queryItems.append({QString::fromUtf8(*key), QString::fromUtf8(*value)});
    }
    return true;
}

QUrlQuery HttpRequest::query() const
{
    return QUrlQuery(QString::fromLatin1(m_rawQuery));
}

bool HttpRequest::hasQueryItem(QStringView name) const
{
    for (const auto &item : m_queryItems) {
        if (item.first == name)
            return true;
    }
    return false;
}

QString HttpRequest::queryValue(QStringView name) const
{
    for (const auto &item : m_queryItems) {
        if (item.first == name)
            return item.second;
    }
    return {};
}

QStringList HttpRequest::queryValues(QStringView name) const
{
    QStringList out;
    for (const auto &item : m_queryItems) {
        if (item.first == name)
            out.append(item.second);
    }
    return out;
}

QByteArray HttpRequest::protocol() const
{
    return "HTTP/"_ba + QByteArray::number(m_versionMajor) + '.' + QByteArray::number(m_versionMinor);
}

void HttpRequest::setVersion(int major, int minor)
{
    m_versionMajor = major;
    m_versionMinor = minor;
}

void HttpRequest::setPeer(QHostAddress address, quint16 port)
{
    m_peerAddress = std::move(address);
    m_peerPort = port;
}

bool HttpRequest::wantsKeepAlive() const
{
    if (m_headers.hasToken("connection", "close"))
        return false;
    if (m_versionMajor == 1 && m_versionMinor == 0)
        return m_headers.hasToken("connection", "keep-alive");
    return true;
}

} // namespace boo
