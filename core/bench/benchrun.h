#pragma once

#include "core/bench/benchcell.h"
#include "core/bench/benchsuite.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace boo {

// What a target's host was when the run measured it, so that history compares like with like.
struct BenchHostInfo
{
    QString providerId;
    QString version;  // llama-swap /api/version
    QStringList gpus; // GPU names (/api/hardware or the last performance sample)
};

// A finished run of a suite: its cells in suite order, the cold starts, and where it ran.
struct BenchRunResult
{
    qint64 id = 0; // the stored run id; 0 until stored
    BenchSuite suite;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    QList<BenchCell> cells;
    QMap<QString, double> coldStartMs;      // by target text
    QMap<QString, QString> coldStartErrors; // by target text
    QMap<QString, BenchHostInfo> hosts;     // by provider id
    QString via;                            // "direct" or the gateway's URL

    // Any cell flagged as a regression (BenchRegression) against the baseline compared with.
    bool hasRegression() const;
    // {"run_id", "suite", "cells": [...], "cold_start_ms": {target: ms}, ...} (docs/bench.md).
    QJsonObject toJson() const;
};

} // namespace boo
