#include "core/bench/benchsuite.h"

#include <QtGlobal>

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

int BenchSuite::requestsFor(int loadIndex) const
{
    if (requests > 0)
        return requests;
    if (mode == BenchLoadMode::Concurrency)
        return qMax(8, 4 * concurrency.value(loadIndex, 1));
    return qMax(8, int(std::ceil(rates.value(loadIndex, 1.0) * 10.0)));
}

QString BenchSuite::loadLabel(int loadIndex) const
{
    if (mode == BenchLoadMode::Concurrency)
        return u"c=%1"_s.arg(concurrency.value(loadIndex));
    return u"rate=%1/s"_s.arg(rates.value(loadIndex));
}

} // namespace boo
