#include "core/alerts/alertsinkconfig.h"

using namespace Qt::StringLiterals;

namespace boo {

bool AlertSinkConfig::accepts(const Alert &alert) const
{
    // A test goes everywhere: it exists to show that each sink reaches someone.
    if (alert.kind == Alert::Kind::Test)
        return true;
    if (!kinds.isEmpty() && !kinds.contains(alert.kind))
        return false;
    return int(alert.severity()) >= int(minSeverity);
}

QString AlertSinkConfig::redactedUrl() const
{
    QString text = url.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    if (!url.path().isEmpty() && url.path() != u"/"_s)
        text += u"/…"_s;
    return text;
}

} // namespace boo
