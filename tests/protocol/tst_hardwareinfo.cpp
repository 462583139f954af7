#include "core/protocol/hardwareinfo.h"
#include "testfixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestHardwareInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fixture();
    void nullsStayNull();
    void malformed_data();
    void malformed();
};

void TestHardwareInfo::fixture()
{
    const auto hw = HardwareInfo::fromJson(readFixture(u"api-hardware.json"_s));
    QVERIFY2(hw.ok(), hw.ok() ? "" : qPrintable(hw.error().message));
    QCOMPARE(hw->schemaVersion, 1);
    QCOMPARE(hw->capturedAtMs, Q_INT64_C(1787407331481));
    QCOMPARE(hw->captureScope, u"inference_host"_s);
    QCOMPARE(hw->captureMethod, u"detected"_s);
    QCOMPARE(hw->detectorName, u"llama-swap"_s);
    QCOMPARE(hw->detectorVersion, u"v250"_s);
    QCOMPARE(hw->architecture, u"x86_64"_s);
    QCOMPARE(hw->rawArchitecture, std::optional<QString>(u"amd64"_s));
    QCOMPARE(hw->osFamily, u"linux"_s);
    QCOMPARE(hw->osName, u"ubuntu"_s);
    QCOMPARE(hw->osVersion, u"24.04"_s);
    QCOMPARE(hw->kernel, std::optional<QString>(u"6.8.0-79-generic"_s));
    QCOMPARE(hw->environmentKind, u"native"_s);
    QCOMPARE(hw->environmentName, std::optional<QString>());
    QCOMPARE(hw->environmentVersion, std::optional<QString>());
    QCOMPARE(hw->cpuVendor, u"AuthenticAMD"_s);
    QCOMPARE(hw->cpuModel, std::optional<QString>(u"AMD Ryzen 9 7950X 16-Core Processor"_s));
    QCOMPARE(hw->cpuSockets, std::optional<qint64>(1));
    QCOMPARE(hw->cpuPhysicalCores, std::optional<qint64>(16));
    QCOMPARE(hw->cpuLogicalThreads, std::optional<qint64>(32));
    QCOMPARE(hw->memoryCapacityBytes, Q_UINT64_C(134778458112));
    QCOMPARE(hw->accelerators.size(), 2);
    const auto &gpu = hw->accelerators.at(1);
    QCOMPARE(gpu.index, 1);
    QCOMPARE(gpu.kind, u"gpu"_s);
    QCOMPARE(gpu.vendor, u"NVIDIA"_s);
    QCOMPARE(gpu.model, u"NVIDIA GeForce RTX 4090"_s);
    QCOMPARE(gpu.architecture, std::optional<QString>(u"Ada Lovelace"_s));
    QCOMPARE(gpu.memoryKind, u"dedicated"_s);
    QCOMPARE(gpu.memoryCapacityBytes, std::optional<quint64>(25757220864));
    QCOMPARE(gpu.driverName, std::optional<QString>(u"NVIDIA"_s));
    QCOMPARE(gpu.driverVersion, std::optional<QString>(u"580.76.05"_s));
    QCOMPARE(gpu.powerLimitWatts, std::optional<double>(450));
}

void TestHardwareInfo::nullsStayNull()
{
    const auto hw = HardwareInfo::fromJson(R"({"schema_version":1,"captured_at":"2026-08-22T14:02:11Z",
        "cpu":{"vendor":"ARM","model":null,"socket_count":null,"physical_core_count":null,"logical_thread_count":8},
        "memory":{"capacity_bytes":8589934592},
        "accelerators":[{"index":0,"kind":"gpu","vendor":"Apple","model":"M2","architecture":null,
                         "memory":{"kind":"unified","capacity_bytes":null},"driver":null,"power_limit_watts":null}]})");
    QVERIFY2(hw.ok(), hw.ok() ? "" : qPrintable(hw.error().message));
    QCOMPARE(hw->cpuModel, std::optional<QString>());
    QCOMPARE(hw->cpuSockets, std::optional<qint64>());
    QCOMPARE(hw->cpuLogicalThreads, std::optional<qint64>(8));
    const auto &gpu = hw->accelerators.at(0);
    QCOMPARE(gpu.memoryKind, u"unified"_s);
    QCOMPARE(gpu.memoryCapacityBytes, std::optional<quint64>());
    QCOMPARE(gpu.driverName, std::optional<QString>());
    QCOMPARE(gpu.powerLimitWatts, std::optional<double>());
    QCOMPARE(gpu.architecture, std::optional<QString>());
}

void TestHardwareInfo::malformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::newRow("no schema") << QByteArray(R"({"cpu":{}})") << u"/api/hardware: field \"schema_version\" is missing"_s;
    QTest::newRow("cpu vendor number") << QByteArray(R"({"schema_version":1,"cpu":{"vendor":7}})")
                                       << u"field \"cpu.vendor\" is a number, expected a string"_s;
    QTest::newRow("detector name bool") << QByteArray(R"({"schema_version":1,"capture":{"detector":{"name":true}}})")
                                        << u"field \"capture.detector.name\" is a boolean"_s;
    QTest::newRow("accelerator memory") << QByteArray(R"({"schema_version":1,"accelerators":[{"memory":{"capacity_bytes":"24G"}}]})")
                                        << u"/api/hardware accelerator 0: field \"memory.capacity_bytes\" is a string, expected a number"_s;
    QTest::newRow("captured_at bad") << QByteArray(R"({"schema_version":1,"captured_at":"today"})")
                                     << u"field \"captured_at\": timestamp \"today\""_s;
}

void TestHardwareInfo::malformed()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    const auto hw = HardwareInfo::fromJson(body);
    QVERIFY(!hw.ok());
    QVERIFY2(hw.error().message.contains(message), qPrintable(hw.error().message));
}

QTEST_GUILESS_MAIN(TestHardwareInfo)
#include "tst_hardwareinfo.moc"
