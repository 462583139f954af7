#pragma once

#include "core/remote/configfinding.h"
#include "core/remote/confignode.h"

namespace boo {

// llama-swap's macro pass, replayed on a config to find what it would refuse: reserved or
// self-referencing macro names, macros used before they are defined, `${…}` that nothing
// resolves, `${PORT}` outside models whose cmd asks for a port (and the default proxy that then
// cannot work), `${PID}` outside cmdStop.
//
// The order is the loader's (internal/config/macros.go): ${env.X} first (left alone here: the
// value lives on the host), then global macros on every top-level value, then per model the
// scope MODEL_ID, global macros, model macros (a model macro replaces a global one in place),
// applied last-defined first — which is why a macro may only use macros defined before it — and
// finally PORT, allocated from startPort in model-id order to models whose cmd contains it.
//
// Returns the expanded document (what llama-swap decodes into its typed Config, so the schema
// is checked against it); comment lines in cmd and cmdStop are dropped as the loader does.
class MacroExpansion final
{
public:
    static ConfigNode expand(const ConfigNode &raw, FindingSink &sink);
};

} // namespace boo
