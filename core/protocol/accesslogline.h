#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace boo {

// One line of llama-swap's access log (reference §2.4), as it appears in the proxy log (v260:
// the `http` stream):
//   [INFO] Request 10.0.0.5 "GET /running HTTP/1.1" 200 98 "BooControl/0.1.0" 1.2ms
// Read so that the Logs tab can tell the cockpit's own requests from everybody else's.
struct AccessLogLine
{
    QString clientIp;
    QString method;
    QString target;
    int status = 0;
    QString userAgent;

    // The line's plain text (ANSI codes removed); empty for anything that is not an access line.
    static std::optional<AccessLogLine> parse(QStringView plain);
};

} // namespace boo
