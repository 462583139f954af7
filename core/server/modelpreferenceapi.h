#pragma once

namespace boo {

class Database;
class HttpServer;

// The pickers' favorites and hidden models for an attached cockpit:
//   GET /api/model-preferences   {"preferences": [{"provider","model","favorite","hidden","updated_at"}]}
//   PUT /api/model-preferences   one preference; neither mark removes it. Answers the stored row.
// `database` is the server's own connection on this thread (the runtime's); it outlives the server.
class ModelPreferenceApi final
{
public:
    static void install(HttpServer *http, Database *database);
};

} // namespace boo
