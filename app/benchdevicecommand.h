#pragma once

#include <QStringList>

namespace boo {

// `boocontrol bench device HOST/MODEL [--model-path P] [--flags "..."] [--force] [--json]`:
// llama-bench on the host over SSH, with the host leased (docs/bench.md, "Device numbers").
// `arguments` are the program's, "bench" taken out: [program, "device", ...]. Called inside the
// QCoreApplication of `bench`; returns the exit code (the same table as `bench run`).
int runBenchDeviceCommand(const QStringList &arguments);

} // namespace boo
