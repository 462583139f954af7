#pragma once

#include "core/common/result.h"
#include "core/http/httpresponse.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace boo {

class HttpRequest;

// Answers of the control API: JSON bodies, and errors in one shape
//   {"error": {"message": "...", "code": "bad_request"}}
// with a message that says what to change.
namespace apireply {

HttpResponse json(int status, const QJsonObject &body);
// One page of a keyset-paginated history route: {"<itemsKey>": [...], "next_before_id": id|null}.
HttpResponse keysetPage(const QString &itemsKey, const QJsonArray &items, std::optional<qint64> nextBeforeId);
HttpResponse error(int status, const QString &code, const QString &message);
// A history query that failed: a bad cursor or range is the client's to fix (400), anything
// else is the database's (503).
HttpResponse queryError(const Error &error);

// A query parameter that must be an integer within [min, max]; absent gives `fallback`.
Result<std::optional<qint64>> integerParam(const HttpRequest &request, const QString &name, qint64 min, qint64 max);
// A time given as epoch milliseconds or as RFC 3339 text.
Result<std::optional<qint64>> timeParam(const HttpRequest &request, const QString &name);

} // namespace apireply
} // namespace boo
