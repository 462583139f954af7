#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <utility>

namespace boo {

// One request/response capture (ReqRespCapture, reference §7). The response body may be
// rendered on demand: simulated streams are deterministic, so keeping the recipe instead of
// the text lets internal load at thousands of requests per second skip building bodies that
// the bounded buffer would evict unseen anyway.
struct SimCapture
{
    using Headers = QList<std::pair<QByteArray, QByteArray>>; // canonical names, sorted

    qint64 id = 0;
    QString reqPath;
    Headers reqHeaders;
    std::optional<QByteArray> reqBody;
    std::optional<Headers> respHeaders;
    std::optional<QByteArray> respBody;
    std::function<QByteArray()> renderRespBody; // used when respBody is empty and this is set
    qint64 sizeEstimate = 0;                    // what it counts against the buffer

    // GET /api/captures/{id} body (no trailing newline, as in llama-swap).
    QByteArray toJson() const;
};

} // namespace boo
