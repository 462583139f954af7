#include "core/protocol/accesslogline.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo {

std::optional<AccessLogLine> AccessLogLine::parse(QStringView plain)
{
    // Anything may come before "Request " (a level tag, a timestamp); the user agent may contain
    // quotes of its own only escaped, as Go's %q writes them.
    static const QRegularExpression line(uR"re((?:^|\s)Request (\S+) "(\S+) (\S+) [^"]*" (\d{3}) \d+ "((?:[^"\\]|\\.)*)" \S+\s*$)re"_s);
    const QRegularExpressionMatch m = line.match(plain.toString());
    if (!m.hasMatch())
        return std::nullopt;
    AccessLogLine a;
    a.clientIp = m.captured(1);
    a.method = m.captured(2);
    a.target = m.captured(3);
    a.status = m.capturedView(4).toInt();
    a.userAgent = m.captured(5);
    return a;
}

} // namespace boo
