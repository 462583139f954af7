#pragma once

namespace boo::httpstatus {

// nginx's "Client Closed Request". llama-swap (v251+, PR #1040) records it when the client hung up
// before any response was written; it is never sent on the wire. Our gateway records the same
// status for a client that left mid-dispatch.
inline constexpr int kClientClosedRequest = 499;

// How a finished request's status counts: a client abort is neither a success nor a failure of
// the host or the gateway, so error rates and failure counters leave it out.
enum class StatusClass { Success, ClientAbort, ClientError, ServerError };

constexpr StatusClass classify(int status)
{
    if (status == kClientClosedRequest)
        return StatusClass::ClientAbort;
    if (status >= 500)
        return StatusClass::ServerError;
    if (status >= 400)
        return StatusClass::ClientError;
    return StatusClass::Success;
}

constexpr bool isClientAbort(int status)
{
    return classify(status) == StatusClass::ClientAbort;
}

// A 4xx or 5xx that is not a client abort.
constexpr bool isFailure(int status)
{
    const StatusClass c = classify(status);
    return c == StatusClass::ClientError || c == StatusClass::ServerError;
}

} // namespace boo::httpstatus
