#pragma once

#include "core/fleet/hoststate.h"
#include "core/protocol/activityentry.h"
#include "core/protocol/gpusample.h"
#include "core/providers/providerconfig.h"
#include "core/store/historyrows.h"
#include "core/store/hoststable.h"

namespace boo {

// From what a host reports to what the history database stores.
RequestRow toRequestRow(const QString &providerId, const ActivityEntry &entry);
PerfSampleRow toPerfSampleRow(const QString &providerId, const GpuSample &sample);
HostStatusRow toHostStatusRow(const ProviderConfig &provider, const HostState &state);
HostRecord toHostRecord(const ProviderConfig &provider);

} // namespace boo
