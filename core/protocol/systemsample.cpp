#include "core/protocol/systemsample.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

Result<SystemSample::NetInterface> netInterfaceFromJson(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    SystemSample::NetInterface n;
    n.name = f.string(u"name"_s);
    n.bytesRecv = f.unsignedInteger(u"bytes_recv"_s);
    n.bytesSent = f.unsignedInteger(u"bytes_sent"_s);
    if (f.failed())
        return f.error();
    return n;
}

} // namespace

Result<SystemSample> SystemSample::fromJsonObject(const QJsonObject &object, const QString &context)
{
    JsonFields f(object, context);
    SystemSample s;
    s.timestampMs = f.timestampMs(u"timestamp"_s);
    const QJsonArray cores = f.array(u"cpu_util_per_core"_s);
    for (qsizetype i = 0; i < cores.size(); ++i) {
        if (!cores.at(i).isDouble()) {
            f.fail(u"cpu_util_per_core[%1]"_s.arg(i), u"is %1, expected a number"_s.arg(JsonFields::typeName(cores.at(i))));
            break;
        }
        s.cpuUtilPerCore << cores.at(i).toDouble();
    }
    s.memTotalMb = f.integer(u"mem_total_mb"_s);
    s.memUsedMb = f.integer(u"mem_used_mb"_s);
    s.memFreeMb = f.integer(u"mem_free_mb"_s);
    s.swapTotalMb = f.integer(u"swap_total_mb"_s);
    s.swapUsedMb = f.integer(u"swap_used_mb"_s);
    s.loadAvg1 = f.number(u"load_avg_1"_s);
    s.loadAvg5 = f.number(u"load_avg_5"_s);
    s.loadAvg15 = f.number(u"load_avg_15"_s);
    const QJsonArray interfaces = f.array(u"net_io"_s);
    if (f.failed())
        return f.error();
    auto net = decodeEach(interfaces, context + u" net_io[%1]"_s, &netInterfaceFromJson);
    if (!net)
        return net.error();
    s.netIo = std::move(*net);
    return s;
}

} // namespace boo
