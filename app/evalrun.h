#pragma once

#include <QString>
#include <QStringList>

namespace boo {

// `boocontrol eval SUITE.yaml --targets a,b`: what the command line asked for.
struct EvalRunArgs
{
    QString suitePath;
    QStringList targets; // provider/model
    QString jsonPath;    // empty: none; "-": stdout
    QString db;          // empty: the default SQLite history (demo.sqlite with --demo)
    QString providersPath;
    bool demo = false;
    bool force = false;
    int concurrency = 4;
};

// Runs every code suite of the file against the targets through a live fleet runtime (for its
// access gate and leases); prints pass@1 per target. Exit status as docs/evals.md says.
int runEvalSuites(const EvalRunArgs &args);

} // namespace boo
