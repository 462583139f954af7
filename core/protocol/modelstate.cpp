#include "core/protocol/modelstate.h"

using namespace Qt::StringLiterals;

namespace boo {

ModelState modelStateFromString(QStringView text)
{
    if (text.isEmpty())
        return ModelState::None;
    if (text == u"stopped")
        return ModelState::Stopped;
    if (text == u"starting")
        return ModelState::Starting;
    if (text == u"ready")
        return ModelState::Ready;
    if (text == u"stopping")
        return ModelState::Stopping;
    if (text == u"shutdown")
        return ModelState::Shutdown;
    return ModelState::Unknown;
}

QString modelStateName(ModelState state)
{
    switch (state) {
    case ModelState::None: return QString();
    case ModelState::Stopped: return u"stopped"_s;
    case ModelState::Starting: return u"starting"_s;
    case ModelState::Ready: return u"ready"_s;
    case ModelState::Stopping: return u"stopping"_s;
    case ModelState::Shutdown: return u"shutdown"_s;
    case ModelState::Unknown: break;
    }
    return u"unknown"_s;
}

} // namespace boo
