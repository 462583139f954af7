#pragma once

#include "core/bench/benchsuite.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QString>

namespace boo {

// Reads a suite file (YAML) strictly: an unknown key, a value of the wrong kind, a duplicate or
// an out-of-range number is an error, never a default. Every message starts with where the
// problem is and which key, e.g.
//   quants.yaml:4:15: concurrency[2]: 0 is out of range (1 to 1024)
// Error code "bench.suite".
class BenchSuiteParser final
{
public:
    // `fileName` only names the source in messages.
    static Result<BenchSuite> parse(const QByteArray &yaml, const QString &fileName);
    static Result<BenchSuite> parseFile(const QString &path);
};

} // namespace boo
