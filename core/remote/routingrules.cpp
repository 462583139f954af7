// Rules about which models may run together: groups, the swap matrix, and the two ways of
// writing them (legacy top-level keys or routing.router), which llama-swap refuses to mix.

#include "core/remote/configrules.h"
#include "core/remote/matrixsets.h"

#include <QHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

bool nonEmptyMap(const ConfigNode *node)
{
    return node && node->isMap() && !node->entries.empty();
}

void routingMixed(const RuleContext &context)
{
    const ConfigNode *groups = context.root.child(u"groups");
    const ConfigNode *matrix = context.root.child(u"matrix");
    const bool legacyMatrix = matrix && matrix->kind != ConfigNode::Kind::Null;
    const ConfigNode *router = context.root.find({u"routing"_s, u"router"_s});
    const ConfigNode *use = router ? router->child(u"use") : nullptr;
    const ConfigNode *settingsMatrix = router ? router->find({u"settings"_s, u"matrix"_s}) : nullptr;
    const bool usesRouter = (use && !use->text().isEmpty()) || (settingsMatrix && settingsMatrix->kind != ConfigNode::Kind::Null)
        || (router && nonEmptyMap(router->find({u"settings"_s, u"groups"_s})));
    for (const ConfigNode *legacy : {nonEmptyMap(groups) ? groups : nullptr, legacyMatrix ? matrix : nullptr}) {
        if (legacy && usesRouter)
            context.sink.atKey(
                FindingSeverity::Error, u"routing-mixed"_s, *legacy,
                u"the legacy top-level '%1' cannot be combined with routing.router: move it into routing.router.settings"_s.arg(
                    legacy->path.constLast()));
    }
    if (legacyMatrix && nonEmptyMap(groups)) {
        context.sink.atKey(FindingSeverity::Error, u"routing-mixed"_s, *matrix, u"a config cannot use both 'groups' and 'matrix'"_s);
    }
}

void routerMatrixMissing(const RuleContext &context)
{
    if (context.root.child(u"groups") || context.root.child(u"matrix"))
        return;
    const ConfigNode *use = context.root.find({u"routing"_s, u"router"_s, u"use"_s});
    const ConfigNode *matrix = context.root.find({u"routing"_s, u"router"_s, u"settings"_s, u"matrix"_s});
    if (use && use->text() == u"matrix"_s && (!matrix || matrix->kind == ConfigNode::Kind::Null))
        context.sink.error(u"router-matrix-missing"_s, *use,
                           u"routing.router.use is 'matrix' but routing.router.settings.matrix is not set"_s);
}

template <typename Visit>
void forEachMember(const RuleContext &context, Visit visit)
{
    const ConfigNode *groups = context.names.groups();
    if (!groups)
        return;
    for (const auto &[groupId, group] : groups->entries) {
        const ConfigNode *members = group.child(u"members");
        if (!members || !members->isSequence())
            continue;
        for (const ConfigNode &member : members->items) {
            if (member.isString())
                visit(groupId, member);
        }
    }
}

// The group router creates a process for every member; one it cannot find a model for stops it.
void groupMemberUnknown(const RuleContext &context)
{
    forEachMember(context, [&](const QString &, const ConfigNode &member) {
        if (!context.names.localModel(member.scalar))
            context.sink.error(u"group-member-unknown"_s, member, u"'%1' is not a model defined in models"_s.arg(member.scalar));
    });
}

// An alias works (the router looks members up like requests) but starts a second process
// under the alias's name next to the model's own.
void groupMemberAlias(const RuleContext &context)
{
    forEachMember(context, [&](const QString &, const ConfigNode &member) {
        if (!context.names.isModel(member.scalar) && context.names.aliasOwner(member.scalar))
            context.sink.warning(
                u"group-member-alias"_s, member,
                u"'%1' is an alias of model '%2'; name the model itself"_s.arg(member.scalar, *context.names.aliasOwner(member.scalar)));
    });
}

void groupMemberMultiple(const RuleContext &context)
{
    QHash<QString, QString> groupOf;
    forEachMember(context, [&](const QString &groupId, const ConfigNode &member) {
        if (const auto it = groupOf.constFind(member.scalar); it != groupOf.cend()) {
            context.sink.error(u"group-member-multiple"_s, member,
                               *it == groupId
                                   ? u"'%1' is listed twice in this group"_s.arg(member.scalar)
                                   : u"'%1' is already a member of group '%2'; a model can be in one group only"_s.arg(member.scalar, *it));
            return;
        }
        groupOf.insert(member.scalar, groupId);
    });
}

void matrixVarUnknown(const RuleContext &context)
{
    const ConfigNode *vars = context.names.matrix() ? context.names.matrix()->child(u"vars") : nullptr;
    if (!vars || !vars->isMap())
        return;
    static const QRegularExpression validName(u"^[a-zA-Z0-9.-]{1,32}$"_s);
    for (const auto &[name, model] : vars->entries) {
        if (!validName.match(name).hasMatch())
            context.sink.atKey(FindingSeverity::Error, u"matrix-var-unknown"_s, model,
                               u"'%1' is not a var name: 1 to 32 letters, digits, '.' or '-'"_s.arg(name));
        if (model.isString() && !context.names.isModel(model.scalar))
            context.sink.error(
                u"matrix-var-unknown"_s, model,
                u"var '%1' names '%2', which is not a model id (vars must name models, not aliases)"_s.arg(name, model.scalar));
    }
}

void matrixSetSyntax(const RuleContext &context)
{
    const ConfigNode *sets = context.names.matrix() ? context.names.matrix()->child(u"sets") : nullptr;
    if (!sets || !sets->isMap())
        return;
    for (const auto &[name, value] : sets->entries) {
        if (!value.isString())
            continue;
        if (auto parsed = MatrixExpression::parse(value.scalar); !parsed)
            context.sink.error(u"matrix-set-syntax"_s, value, u"set '%1': %2"_s.arg(name, parsed.error().message));
    }
}

void matrixNameUnknown(const RuleContext &context)
{
    if (!context.names.matrix())
        return;
    const MatrixSets matrix(*context.names.matrix());
    const auto known = [&](const QString &name) { return matrix.isVar(name) || context.names.isModel(name); };
    for (const MatrixSets::Set &set : matrix.sets()) {
        if (!set.expression)
            continue;
        for (const QString &name : set.expression->identifiers()) {
            if (!known(name))
                context.sink.error(u"matrix-name-unknown"_s, *set.node,
                                   u"set '%1' uses '%2', which is neither a var nor a model id"_s.arg(set.name, name));
        }
    }
    if (const ConfigNode *costs = context.names.matrix()->child(u"evict_costs"); costs && costs->isMap()) {
        for (const auto &[name, cost] : costs->entries) {
            if (!known(name))
                context.sink.atKey(FindingSeverity::Error, u"matrix-name-unknown"_s, cost,
                                   u"evict_costs names '%1', which is neither a var nor a model id"_s.arg(name));
        }
    }
}

void matrixSetUndefined(const RuleContext &context)
{
    if (!context.names.matrix())
        return;
    const MatrixSets matrix(*context.names.matrix());
    for (const MatrixSets::Set &set : matrix.sets()) {
        if (!set.expression)
            continue;
        for (const QString &reference : set.expression->references()) {
            if (!matrix.set(reference))
                context.sink.error(u"matrix-set-undefined"_s, *set.node,
                                   u"set '%1' refers to +%2, which is not a set"_s.arg(set.name, reference));
        }
    }
}

void matrixCycle(const RuleContext &context)
{
    if (!context.names.matrix())
        return;
    const MatrixSets matrix(*context.names.matrix());
    for (const MatrixSets::Set &set : matrix.sets()) {
        const QStringList cycle = matrix.cycleThrough(set.name);
        if (!cycle.isEmpty())
            context.sink.error(u"matrix-cycle"_s, *set.node,
                               u"set '%1' refers back to itself: %2"_s.arg(set.name, (cycle + QStringList{set.name}).join(u" → +"_s)));
    }
}

constexpr ConfigRule kRules[] = {
    {u"routing-mixed", routingMixed},
    {u"router-matrix-missing", routerMatrixMissing},
    {u"group-member-unknown", groupMemberUnknown},
    {u"group-member-alias", groupMemberAlias},
    {u"group-member-multiple", groupMemberMultiple},
    {u"matrix-var-unknown", matrixVarUnknown},
    {u"matrix-set-syntax", matrixSetSyntax},
    {u"matrix-name-unknown", matrixNameUnknown},
    {u"matrix-set-undefined", matrixSetUndefined},
    {u"matrix-cycle", matrixCycle},
};

} // namespace

std::span<const ConfigRule> routingRules()
{
    return kRules;
}

} // namespace boo
