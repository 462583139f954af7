#include "core/protocol/modelstate.h"

using namespace Qt::StringLiterals;

namespace boo {

ModelState modelStateFromString(QStringView text)
{
    if (text.isEmpty())
        return ModelState::None;
    return enumFromName(kModelStateNames, text).value_or(ModelState::Unknown);
}

QString modelStateName(ModelState state)
{
    if (state == ModelState::None)
        return QString();
    if (state == ModelState::Unknown)
        return u"unknown"_s;
    return enumNameString(kModelStateNames, state);
}

} // namespace boo
