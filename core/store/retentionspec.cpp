#include "core/store/retentionspec.h"

#include <QList>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

struct Window
{
    QStringView key;
    qint64 RetentionPolicy::*field;
};

constexpr std::array kWindows{
    Window{u"requests", &RetentionPolicy::requestsMs},
    Window{u"model-events", &RetentionPolicy::modelEventsMs},
    Window{u"raw-perf", &RetentionPolicy::rawPerfMs},
    Window{u"perf-rollup", &RetentionPolicy::perfRollupMs},
};

QString keyList()
{
    QStringList keys;
    for (const Window &window : kWindows)
        keys << window.key.toString();
    return keys.join(u", "_s);
}

Error specError(const QString &message)
{
    return makeError(u"cli.retention"_s, u"--retention: "_s + message);
}

Result<qint64> parseDays(QStringView key, QStringView text)
{
    QStringView digits = text.trimmed();
    if (digits.endsWith(u'd'))
        digits.chop(1);
    bool ok = false;
    const qlonglong days = digits.toLongLong(&ok);
    if (!ok || days < 1 || days > RetentionSpec::kMaxDays)
        return specError(u"'%1=%2': expected a whole number of days from 1 to %3"_s.arg(key, text).arg(RetentionSpec::kMaxDays));
    return days * RetentionPolicy::kDayMs;
}

} // namespace

Result<RetentionPolicy> RetentionSpec::parse(QStringView spec, const RetentionPolicy &base)
{
    RetentionPolicy policy = base;
    if (spec.trimmed().isEmpty())
        return specError(u"empty; expected e.g. requests=30,raw-perf=2 (keys: %1)"_s.arg(keyList()));
    for (QStringView item : spec.split(u',')) {
        const qsizetype eq = item.indexOf(u'=');
        const QStringView key = (eq < 0 ? item : item.left(eq)).trimmed();
        const auto window = std::find_if(kWindows.begin(), kWindows.end(), [key](const Window &w) { return w.key == key; });
        if (window == kWindows.end())
            return specError(u"unknown window '%1' (keys: %2)"_s.arg(key, keyList()));
        if (eq < 0)
            return specError(u"'%1' has no value; expected %1=DAYS"_s.arg(key));
        auto ms = parseDays(key, item.mid(eq + 1));
        if (!ms)
            return ms.error();
        policy.*(window->field) = *ms;
    }
    // Raw samples are rolled up only once they leave their window: a rollup window shorter
    // than the raw one would delete buckets while their raw samples still exist.
    if (policy.perfRollupMs < policy.rawPerfMs)
        return specError(u"perf-rollup (%1 d) must be at least raw-perf (%2 d)"_s.arg(policy.perfRollupMs / RetentionPolicy::kDayMs)
                             .arg(policy.rawPerfMs / RetentionPolicy::kDayMs));
    return policy;
}

QString RetentionSpec::describe(const RetentionPolicy &policy)
{
    const auto days = [](qint64 ms) { return ms / RetentionPolicy::kDayMs; };
    return u"requests %1 d, model events %2 d, raw GPU samples %3 d, GPU rollups %4 d"_s.arg(days(policy.requestsMs))
        .arg(days(policy.modelEventsMs))
        .arg(days(policy.rawPerfMs))
        .arg(days(policy.perfRollupMs));
}

} // namespace boo
