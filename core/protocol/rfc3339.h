#pragma once

#include "core/common/result.h"

#include <QStringView>

namespace boo {

// RFC 3339 timestamps as llama-swap writes them (Go's time.RFC3339Nano in the host's zone:
// "2026-08-22T18:40:55.118274031+02:00", "2026-08-22T18:41:08+02:00", "...Z") converted to UTC
// epoch milliseconds, the unit of the whole program. The parsing is Rfc3339Parser's
// (core/common) with its lenient rules; here its errors become protocol errors.
class Rfc3339 final
{
public:
    // Accepts YYYY-MM-DD(T|t| )hh:mm:ss[.fraction](Z|z|±hh:mm); the fraction may have any number
    // of digits (Go prints 1..9) and is truncated towards the past to whole milliseconds.
    // A leap second (ss = 60) is accepted and counts as the first instant of the next minute.
    static Result<qint64> toUtcMs(QStringView text);
};

} // namespace boo
