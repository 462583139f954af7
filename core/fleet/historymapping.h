#pragma once

#include "core/fleet/hostview.h"
#include "core/fleet/providerconfig.h"
#include "core/protocol/activityentry.h"
#include "core/protocol/gpusample.h"
#include "core/store/historyrows.h"

namespace boo {

// From what a host reports to what the history database stores.
RequestRow toRequestRow(const QString &providerId, const ActivityEntry &entry);
PerfSampleRow toPerfSampleRow(const QString &providerId, const GpuSample &sample);
HostStatusRow toHostStatusRow(const ProviderConfig &provider, const HostView &view);

} // namespace boo
