#include "core/client/cockpitbackend.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

Error unavailable()
{
    return makeError(u"prefs.unavailable"_s, u"this cockpit keeps no model preferences"_s);
}

} // namespace

Result<ChatTarget> CockpitBackend::chatTarget(const QString &provider, const QString &model) const
{
    return makeError(u"chat.unavailable"_s, u"this cockpit cannot reach %1/%2"_s.arg(provider, model));
}

void CockpitBackend::loadModelPreferences(QObject *context, PreferencesCallback done)
{
    QTimer::singleShot(0, context, [done = std::move(done)] { done(unavailable()); });
}

void CockpitBackend::saveModelPreference(const ModelPreference &, QObject *context, DoneCallback done)
{
    QTimer::singleShot(0, context, [done = std::move(done)] { done(unavailable()); });
}

} // namespace boo
