#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>

namespace boo {

// `GET /api/captures/{id}` (ReqRespCapture): what was sent upstream and what came back, with the
// bodies base64-decoded to bytes. An empty optional is a part the host did not store (`null`:
// non-200 responses keep no body, some routes mask bodies) — distinct from a stored empty body.
struct Capture
{
    qint64 id = 0; // the activity id
    QString reqPath;
    QMap<QString, QString> reqHeaders;
    std::optional<QByteArray> reqBody;
    std::optional<QMap<QString, QString>> respHeaders;
    std::optional<QByteArray> respBody;

    static Result<Capture> fromJson(const QByteArray &body);

    friend bool operator==(const Capture &, const Capture &) = default;
};

} // namespace boo
