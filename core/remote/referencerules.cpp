// Rules about names that refer to models: peers' model names, selectors, profile pins, the
// scheduler's priorities and the startup preload list.

#include "core/remote/configrules.h"
#include "core/remote/matrixsets.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

template <typename Visit>
void forEachEntry(const ConfigNode *map, Visit visit)
{
    if (!map || !map->isMap())
        return;
    for (const auto &[key, value] : map->entries)
        visit(key, value);
}

// Every peer model is addressable as `peer/model`; the loader reserves those names.
void peerNameClash(const RuleContext &context)
{
    const ConfigNode *profiles = context.root.child(u"profiles");
    forEachEntry(context.root.child(u"peers"), [&](const QString &peer, const ConfigNode &config) {
        const ConfigNode *models = config.child(u"models");
        if (!models || !models->isSequence())
            return;
        for (const ConfigNode &model : models->items) {
            if (!model.isString())
                continue;
            const QString name = peer + u'/' + model.scalar;
            const QStringList owners = context.names.peerQualifiedNames().value(name);
            QString clash;
            if (owners.size() > 1)
                clash = u"peers %1 all define it"_s.arg(owners.join(u", "_s));
            else if (context.names.isModel(name))
                clash = u"it is a model id"_s;
            else if (const auto owner = context.names.aliasOwner(name))
                clash = u"it is an alias of model '%1'"_s.arg(*owner);
            else if (context.names.isSelector(name))
                clash = u"it is a selector"_s;
            forEachEntry(profiles, [&](const QString &profile, const ConfigNode &settings) {
                const ConfigNode *pins = settings.child(u"pins");
                if (clash.isEmpty() && pins && pins->child(name))
                    clash = u"profile '%1' pins that name"_s.arg(profile);
            });
            if (!clash.isEmpty())
                context.sink.error(u"peer-name-clash"_s, model, u"the peer model name '%1' is ambiguous: %2"_s.arg(name, clash));
        }
    });
}

void selectorNameClash(const RuleContext &context)
{
    forEachEntry(context.root.child(u"selectors"), [&](const QString &id, const ConfigNode &selector) {
        if (context.names.isModel(id))
            context.sink.atKey(FindingSeverity::Error, u"selector-name-clash"_s, selector,
                               u"selector '%1' has the id of a model"_s.arg(id));
        else if (const auto owner = context.names.aliasOwner(id))
            context.sink.atKey(FindingSeverity::Error, u"selector-name-clash"_s, selector,
                               u"selector '%1' has the name of an alias of model '%2'"_s.arg(id, *owner));
    });
}

template <typename Visit>
void forEachTarget(const RuleContext &context, Visit visit)
{
    forEachEntry(context.root.child(u"selectors"), [&](const QString &id, const ConfigNode &selector) {
        const ConfigNode *targets = selector.child(u"targets");
        if (!targets || !targets->isSequence())
            return;
        const QString strategy = selector.child(u"strategy") ? selector.child(u"strategy")->text() : QString();
        for (const ConfigNode &target : targets->items) {
            if (target.isString())
                visit(id, strategy, target);
        }
    });
}

void selectorChained(const RuleContext &context)
{
    forEachTarget(context, [&](const QString &, const QString &, const ConfigNode &target) {
        if (context.names.isSelector(target.scalar))
            context.sink.error(u"selector-chained"_s, target, u"'%1' is a selector; a selector cannot target another"_s.arg(target.scalar));
    });
}

void selectorTargetUnknown(const RuleContext &context)
{
    forEachTarget(context, [&](const QString &, const QString &, const ConfigNode &target) {
        if (!context.names.isSelector(target.scalar) && !context.names.resolvesToModel(target.scalar))
            context.sink.error(u"selector-target-unknown"_s, target,
                               u"'%1' is not a model, an alias or a peer's model"_s.arg(target.scalar));
    });
}

void selectorWarmRemote(const RuleContext &context)
{
    forEachTarget(context, [&](const QString &, const QString &strategy, const ConfigNode &target) {
        if (strategy == u"warm"_s && !context.names.localModel(target.scalar) && context.names.peerModel(target.scalar))
            context.sink.error(u"selector-warm-remote"_s, target,
                               u"'%1' is a peer's model; strategy 'warm' needs models of this host"_s.arg(target.scalar));
    });
}

template <typename Visit>
void forEachSpillover(const RuleContext &context, Visit visit)
{
    forEachEntry(context.root.child(u"selectors"), [&](const QString &id, const ConfigNode &selector) {
        const ConfigNode *strategy = selector.child(u"strategy");
        const ConfigNode *targets = selector.child(u"targets");
        if (!strategy || strategy->text() != u"spillover"_s || !targets || !targets->isSequence())
            return;
        visit(id, selector, *targets);
    });
}

void selectorSpilloverDuplicate(const RuleContext &context)
{
    forEachSpillover(context, [&](const QString &, const ConfigNode &, const ConfigNode &targets) {
        QStringList seen;
        for (const ConfigNode &target : targets.items) {
            const auto resolved = context.names.localModel(target.scalar) ? context.names.localModel(target.scalar)
                                                                          : context.names.peerModel(target.scalar);
            if (!resolved)
                continue;
            if (seen.contains(*resolved))
                context.sink.error(u"selector-spillover-duplicate"_s, target,
                                   u"'%1' resolves to '%2', which an earlier target already names"_s.arg(target.scalar, *resolved));
            seen << *resolved;
        }
    });
}

// Spillover keeps several targets loaded at once, so the local ones must be allowed to run
// together: one group with swap: false, or one matrix set holding them all.
void selectorSpilloverCoexist(const RuleContext &context)
{
    forEachSpillover(context, [&](const QString &id, const ConfigNode &selector, const ConfigNode &) {
        QStringList local;
        for (const ConfigNode &target : selector.child(u"targets")->items) {
            if (const auto model = context.names.localModel(target.scalar); model && !local.contains(*model))
                local << *model;
        }
        if (local.size() <= 1)
            return;
        const ConfigNode &at = *selector.child(u"targets");
        if (context.names.matrix()) {
            if (!MatrixSets(*context.names.matrix()).canContainAll(local))
                context.sink.error(u"selector-spillover-coexist"_s, at,
                                   u"selector '%1': no matrix set lets %2 run together"_s.arg(id, local.join(u", "_s)));
            return;
        }
        QHash<QString, QString> groupOf;
        forEachEntry(context.names.groups(), [&](const QString &group, const ConfigNode &config) {
            if (const ConfigNode *members = config.child(u"members"))
                for (const QString &member : members->strings())
                    groupOf.insert(member, group);
        });
        const QString group = groupOf.value(local.constFirst());
        bool together = !group.isEmpty();
        for (const QString &model : local)
            together = together && groupOf.value(model) == group;
        const ConfigNode *swap = together ? context.names.groups()->find({group, u"swap"_s}) : nullptr;
        const bool swaps = !swap || swap->kind != ConfigNode::Kind::Bool || swap->scalar.compare(u"false"_s, Qt::CaseInsensitive) != 0;
        if (!together || swaps)
            context.sink.error(u"selector-spillover-coexist"_s, at,
                               u"selector '%1': %2 must share one group with swap: false to run together"_s.arg(id, local.join(u", "_s)));
    });
}

void profilePinUnresolved(const RuleContext &context)
{
    forEachEntry(context.root.child(u"profiles"), [&](const QString &profile, const ConfigNode &settings) {
        forEachEntry(settings.child(u"pins"), [&](const QString &pin, const ConfigNode &target) {
            if (!target.isString() || target.scalar.isEmpty())
                return; // an empty pin disables the name on purpose
            if (!context.names.resolvesToModel(target.scalar) && !context.names.isSelector(target.scalar))
                context.sink.error(u"profile-pin-unresolved"_s, target,
                                   u"profile '%1' pins '%2' to '%3', which is not a model, alias, peer model or selector"_s.arg(
                                       profile, pin, target.scalar));
        });
    });
}

void schedulerPriorityUnknown(const RuleContext &context)
{
    forEachEntry(context.root.find({u"routing"_s, u"scheduler"_s, u"settings"_s, u"fifo"_s, u"priority"_s}),
                 [&](const QString &model, const ConfigNode &priority) {
                     if (!context.names.localModel(model))
                         context.sink.atKey(FindingSeverity::Error, u"scheduler-priority-unknown"_s, priority,
                                            u"'%1' is not a model or alias of this host"_s.arg(model));
                 });
}

// The loader drops preload entries it cannot resolve without a word.
void preloadUnknown(const RuleContext &context)
{
    const ConfigNode *preload = context.root.find({u"hooks"_s, u"on_startup"_s, u"preload"_s});
    if (!preload || !preload->isSequence())
        return;
    for (const ConfigNode &model : preload->items) {
        const QString name = model.text().trimmed();
        if (model.isString() && !name.isEmpty() && !context.names.localModel(name))
            context.sink.warning(u"preload-unknown"_s, model,
                                 u"'%1' is not a model or alias of this host; llama-swap skips it at startup"_s.arg(name));
    }
}

constexpr ConfigRule kRules[] = {
    {u"peer-name-clash", peerNameClash},
    {u"selector-name-clash", selectorNameClash},
    {u"selector-chained", selectorChained},
    {u"selector-target-unknown", selectorTargetUnknown},
    {u"selector-warm-remote", selectorWarmRemote},
    {u"selector-spillover-duplicate", selectorSpilloverDuplicate},
    {u"selector-spillover-coexist", selectorSpilloverCoexist},
    {u"profile-pin-unresolved", profilePinUnresolved},
    {u"scheduler-priority-unknown", schedulerPriorityUnknown},
    {u"preload-unknown", preloadUnknown},
};

} // namespace

std::span<const ConfigRule> referenceRules()
{
    return kRules;
}

} // namespace boo
