#pragma once

#include "core/common/result.h"
#include "core/store/retention.h"

#include <QString>
#include <QStringView>

namespace boo {

// The retention windows of `boocontrol --serve --retention SPEC`, written as the operator
// thinks of them: "requests=30,raw-perf=2,perf-rollup=400,model-events=90" in whole days (an
// optional trailing "d" is accepted). Keys left out keep the value of `base`; an unknown key,
// a bad number or a window of zero is an error, never a silent default, because a wrong window
// deletes history on the next retention pass.
class RetentionSpec final
{
public:
    static constexpr qint64 kMaxDays = 1'000'000; // far beyond any real use; days * kDayMs cannot overflow

    static Result<RetentionPolicy> parse(QStringView spec, const RetentionPolicy &base = {});
    // "requests 90 d, model events 90 d, raw GPU samples 2 d, GPU rollups 400 d" for the log.
    static QString describe(const RetentionPolicy &policy);
};

} // namespace boo
