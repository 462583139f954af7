#include "core/actions/actionjob.h"
#include "core/common/enumnames.h"
#include "core/fleet/liveness.h"
#include "core/gateway/candidateranker.h"
#include "core/gateway/gatewayrequest.h"
#include "core/gateway/routepolicy.h"
#include "core/http/upstreamconnection.h"
#include "core/protocol/hostevent.h"
#include "core/protocol/inflightupdate.h"
#include "core/protocol/modelinfo.h"
#include "core/protocol/modelstate.h"
#include "core/protocol/protocolgeneration.h"
#include "core/providers/providerconfig.h"
#include "core/sim/simcompletion.h"
#include "core/sim/simconfig.h"
#include "core/sim/simmodelmanager.h"
#include "core/sim/simtrafficspec.h"
#include "core/store/databaseurl.h"
#include "core/store/perfquery.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

enum class Colour { Red, Green, Blue, Internal };
constexpr EnumName<Colour> kColourNames[] = {
    {Colour::Red, u"red"},
    {Colour::Green, u"green"},
    {Colour::Green, u"lime"}, // an alias: read, never written
    {Colour::Blue, u"blue"},
};

// Looking a name up is a constant expression (the tables can be checked at compile time).
static_assert(enumName(kColourNames, Colour::Blue).size() == 4);
static_assert(enumName(kColourNames, Colour::Internal).isEmpty());

// What every table must satisfy: non-empty, unique names; each value's first name reads back as
// that value, and every name (aliases too) reads back as its row's value.
template <typename E, std::size_t N>
void checkTable(const EnumName<E> (&table)[N], const char *what)
{
    QSet<QString> seen;
    for (const EnumName<E> &row : table) {
        const QString name = row.name.toString();
        QVERIFY2(!name.isEmpty(), what);
        QVERIFY2(!seen.contains(name), qPrintable(u"%1: \"%2\" twice"_s.arg(QLatin1StringView(what), name)));
        seen.insert(name);
        QVERIFY2(enumFromName(table, row.name) == row.value, qPrintable(u"%1: %2"_s.arg(QLatin1StringView(what), name)));
        QCOMPARE(enumFromName(table, enumName(table, row.value)), std::optional<E>(row.value));
    }
    QCOMPARE(enumFromName(table, u"no such name"), std::optional<E>());
    QCOMPARE(enumFromName(table, u""), std::optional<E>());
}

// The wrapper functions the callers use agree with the table, both ways.
template <typename E, std::size_t N, typename Name, typename FromName>
void checkWrappers(const EnumName<E> (&table)[N], Name name, FromName fromName)
{
    for (const EnumName<E> &row : table) {
        QCOMPARE(fromName(row.name.toString()), std::optional<E>(row.value));
        QCOMPARE(name(row.value), enumName(table, row.value).toString());
    }
    QCOMPARE(fromName(u"Not-A-Name"_s), std::optional<E>());
}

} // namespace

class TestEnumNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helper()
    {
        QCOMPARE(enumName(kColourNames, Colour::Green), u"green"); // the first row names it
        QCOMPARE(enumFromName(kColourNames, u"lime"), Colour::Green);
        QCOMPARE(enumFromName(kColourNames, u"Red"), std::optional<Colour>()); // wire tokens: exact
        QCOMPARE(enumFromName(kColourNames, u"red "), std::optional<Colour>());
        QCOMPARE(enumChoices(kColourNames), u"red, green, lime or blue"_s);
        constexpr EnumName<Colour> one[] = {{Colour::Red, u"red"}};
        QCOMPARE(enumChoices(one), u"red"_s);
        constexpr EnumName<Colour> two[] = {{Colour::Red, u"red"}, {Colour::Blue, u"blue"}};
        QCOMPARE(enumChoices(two), u"red or blue"_s);
    }

    void nameStringSharesTheLiteral()
    {
        // No allocation per call: the QString points into the table's literal.
        const QString name = enumNameString(kColourNames, Colour::Blue);
        QCOMPARE(name, u"blue"_s);
        QCOMPARE(static_cast<const void *>(name.constData()), static_cast<const void *>(kColourNames[3].name.data()));
        QVERIFY(enumNameString(kColourNames, Colour::Internal).isEmpty());
    }

    void everyTableIsConsistent()
    {
        checkTable(kLivenessNames, "Liveness");
        checkTable(kModelStateNames, "ModelState");
        checkTable(kProtocolGenerationNames, "ProtocolGeneration");
        checkTable(ModelInfo::kKindNames, "ModelInfo::Kind");
        checkTable(InFlightUpdate::kOperationNames, "InFlightUpdate::Operation");
        checkTable(LogDataEvent::kSourceNames, "LogDataEvent::Source");
        checkTable(kSimModelStateNames, "SimModelState");
        checkTable(kSimCompatNames, "SimCompat");
        checkTable(kSimEndpointPaths, "SimEndpoint");
        checkTable(SimTrafficSpec::kTimingNames, "SimTrafficSpec::Timing");
        checkTable(kRouteStrategyNames, "RouteStrategy");
        checkTable(RouteRule::kToolsNames, "RouteRule::Tools");
        checkTable(kCandidateTierNames, "CandidateTier");
        checkTable(kGatewayEndpointPaths, "GatewayEndpoint paths");
        checkTable(kGatewayEndpointShortNames, "GatewayEndpoint short names");
        checkTable(kUpstreamFailureNames, "UpstreamFailure");
        checkTable(kProviderKindNames, "ProviderKind");
        checkTable(ApiKeyRef::kStoreNames, "ApiKeyRef::Store");
        checkTable(ActionJob::kStateNames, "ActionJob::State");
        checkTable(HostAction::kKindNames, "HostAction::Kind");
        checkTable(PerfSeries::kResolutionNames, "PerfSeries::Resolution");
        checkTable(kSqlDialectSchemes, "SqlDialect");
    }

    void wrappersRoundTrip()
    {
        checkWrappers(kLivenessNames, livenessName, livenessFromName);
        checkWrappers(kRouteStrategyNames, routeStrategyName, routeStrategyFromName);
        checkWrappers(kCandidateTierNames, candidateTierName, candidateTierFromName);
        checkWrappers(kProviderKindNames, providerKindName, providerKindFromName);
        checkWrappers(kSimCompatNames, simCompatName, simCompatFromName);
        checkWrappers(ActionJob::kStateNames, &ActionJob::stateName, &ActionJob::stateFromName);
        checkWrappers(HostAction::kKindNames, &HostAction::kindName, &HostAction::kindFromName);
        QCOMPARE(simCompatFromName(u""), SimCompat::Current); // a config line without compat
        for (const auto &row : kSimModelStateNames)
            QCOMPARE(simModelStateName(row.value), row.name.toString());
        for (const auto &row : kUpstreamFailureNames)
            QCOMPARE(upstreamFailureName(row.value), row.name.toString());
        for (const auto &row : kProtocolGenerationNames)
            QCOMPARE(protocolGenerationName(row.value), row.name.toString());
        for (const auto &row : kGatewayEndpointPaths)
            QCOMPARE(gatewayEndpointPath(row.value), row.name.toString());
    }

    void modelStateKeepsItsFallbacks()
    {
        for (const auto &row : kModelStateNames) {
            QCOMPARE(modelStateFromString(row.name), row.value);
            QCOMPARE(modelStateName(row.value), row.name.toString());
        }
        QCOMPARE(modelStateFromString(u""), ModelState::None);
        QCOMPARE(modelStateName(ModelState::None), QString());
        QCOMPARE(modelStateFromString(u"hibernating"), ModelState::Unknown);
        QCOMPARE(modelStateName(ModelState::Unknown), u"unknown"_s);
    }

    void aliasesAndPrefixes()
    {
        QCOMPARE((ApiKeyRef{ApiKeyRef::Store::Keychain, u"gpu-box"_s}.toString()), u"keychain:gpu-box"_s);
        QCOMPARE((ApiKeyRef{ApiKeyRef::Store::Environment, u"KEY"_s}.toString()), u"env:KEY"_s);
        auto postgres = DatabaseUrl::parse(u"postgresql://u@db.example:5433/boo"_s);
        QVERIFY(postgres);
        QCOMPARE(postgres->dialect, SqlDialect::Postgres);
        QVERIFY(postgres->displayString().startsWith(u"postgres://"_s)); // written with the first name
        auto sqlite = DatabaseUrl::parse(u"sqlite:/tmp/x.sqlite"_s);
        QVERIFY(sqlite);
        QCOMPARE(sqlite->displayString(), u"sqlite:/tmp/x.sqlite"_s);
        QCOMPARE(enumFromName(kSimEndpointPaths, u"/completion"), SimEndpoint::Completions);
        QCOMPARE(enumName(kSimEndpointPaths, SimEndpoint::Completions), u"/v1/completions");
    }
};

QTEST_GUILESS_MAIN(TestEnumNames)
#include "tst_enumnames.moc"
