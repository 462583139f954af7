#pragma once

#include "core/remote/configfinding.h"
#include "core/remote/confignames.h"
#include "core/remote/confignode.h"

#include <QStringView>

#include <span>

namespace boo {

// What a rule looks at: the config after macro expansion and the names it defines.
struct RuleContext
{
    const ConfigNode &root;
    const ConfigNames &names;
    FindingSink &sink;
};

// A check of llama-swap's loader that a JSON Schema cannot express. `id` is the rule every
// finding of the check carries; docs/remote.md lists them with what the loader does.
struct ConfigRule
{
    QStringView id;
    void (*check)(const RuleContext &context);
};

// The rules in the order they run, by subject.
std::span<const ConfigRule> modelNameRules();
std::span<const ConfigRule> routingRules();
std::span<const ConfigRule> referenceRules();
std::span<const ConfigRule> correctionRules();

} // namespace boo
