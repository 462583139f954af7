#pragma once

#include "core/common/enumnames.h"

#include <QString>

namespace boo {

// A burst of internal requests (no sockets) through a host's own pipeline.
struct SimTrafficSpec
{
    int count = 1;
    double rate = 0; // requests per second; 0: as fast as possible
    QString model;   // empty: spread over the host's listed models
    bool stream = true;
    int status = 200;  // non-200: answer with that error (429 as the concurrency shedder)
    int maxTokens = 0; // 0: short answers at rate 0, the model's usual length otherwise
    // Wall-clock generation (requests stay in flight for seconds). Default: rate > 0.
    enum class Timing { Auto, RealTime, Instant } timing = Timing::Auto;
    static constexpr EnumName<Timing> kTimingNames[]
        = {{Timing::Auto, u"auto"}, {Timing::RealTime, u"realtime"}, {Timing::Instant, u"instant"}};
    QString endpoint = QStringLiteral("/v1/chat/completions"); // one of kSimEndpointPaths
};

} // namespace boo
