#pragma once

namespace boo {

class SimHost;

// llama-swap's JSON API routes on a simulated host: models, /running, unload, activity,
// stats, performance, captures, version, hardware, profiles, in-flight cancel.
class SimRoutes final
{
public:
    // Installs every route of the host's release, including the stream and inference ones.
    static void install(SimHost *host);
};

// GET /api/events and the /logs family.
class SimStreamRoutes final
{
public:
    static void install(SimHost *host);
};

// The inference routes and /upstream/{model...}.
class SimInferenceRoutes final
{
public:
    static void install(SimHost *host);
};

} // namespace boo
