#include "core/protocol/rfc3339.h"

#include "core/common/rfc3339parser.h"

using namespace Qt::StringLiterals;

namespace boo {

Result<qint64> Rfc3339::toUtcMs(QStringView text)
{
    const auto parsed = Rfc3339Parser::parse(text, Rfc3339Parser::kLenient);
    if (!parsed)
        return makeError(u"protocol.value"_s, parsed.error().message);
    return parsed->utcMs();
}

} // namespace boo
