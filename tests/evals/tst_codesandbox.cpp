#include "core/evals/codesandbox.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <optional>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using boo::CodeSandbox;
using boo::SandboxLimits;
using boo::SandboxOutcome;
using boo::SandboxVerdict;

namespace {

// The host's processes whose command line contains `needle` (this test's own excepted).
QList<qint64> processesWith(const QByteArray &needle)
{
    QList<qint64> pids;
    const qint64 self = QCoreApplication::applicationPid();
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric || pid == self)
            continue;
        QFile cmdline(u"/proc/%1/cmdline"_s.arg(entry));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle))
            pids << pid;
    }
    return pids;
}

} // namespace

// The sandbox against the escapes issue 13 lists, with real bubblewrap. Every run gets a unique
// file-size limit, which appears on the command lines of bubblewrap and the interpreter: after
// each run no process of the host may still carry it.
class TestCodeSandbox : public QObject
{
    Q_OBJECT

    std::optional<CodeSandbox> m_sandbox;
    qint64 m_runTag = 0;

    SandboxOutcome run(const QString &program, SandboxLimits limits = {})
    {
        limits.fileSizeBytes = (4LL << 20) + QRandomGenerator::global()->bounded(1000000) * 7 + 3;
        const SandboxOutcome outcome = m_sandbox->runPython(program, limits);
        const QByteArray tag = QByteArray::number(limits.fileSizeBytes);
        QList<qint64> left = processesWith(tag);
        for (int i = 0; i < 20 && !left.isEmpty(); ++i) {
            QTest::qWait(100);
            left = processesWith(tag);
        }
        if (!left.isEmpty())
            qWarning("processes left behind: %s", qPrintable(QString::number(left.size())));
        [&] { QVERIFY2(left.isEmpty(), "a sandboxed process outlived its run"); }();
        return outcome;
    }

    static QByteArray describe(const SandboxOutcome &outcome)
    {
        return (enumName(boo::kSandboxVerdictNames, outcome.verdict).toString() + u": "_s + outcome.detail + u"\n"_s
                + QString::fromUtf8(outcome.output.left(2000)))
            .toUtf8();
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto sandbox = CodeSandbox::locate();
        if (!sandbox) {
            // Said loudly: a skipped sandbox test must not pass for a tested sandbox.
            qWarning("bubblewrap is unusable here, the sandbox is not tested: %s", qPrintable(sandbox.error().message));
            QSKIP("bubblewrap cannot make a sandbox on this machine");
        }
        m_sandbox.emplace(*sandbox);
    }

    // The machine is unchanged: when we are root the sandbox runs as uid 65534 on the host too,
    // so a file it left would belong to that uid. (Processes are checked after every run, by the
    // run's tag: other sandboxes, of tests running in parallel, may be alive now.)
    void cleanupTestCase()
    {
        if (!m_sandbox || geteuid() != 0)
            return;
        QStringList leftovers;
        for (const QString &dir : {u"/tmp"_s, u"/var/tmp"_s, u"/dev/shm"_s}) {
            QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
            while (it.hasNext()) {
                const QFileInfo info(it.next());
                if (info.ownerId() == 65534)
                    leftovers << info.filePath();
            }
        }
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u", "_s)));
    }

    void correctCodePasses()
    {
        const auto outcome = run(u"def add(a, b):\n    return a + b\n\nassert add(1, 2) == 3\nprint('ok')\n"_s);
        QVERIFY2(outcome.verdict == SandboxVerdict::Passed, describe(outcome));
        QCOMPARE(outcome.output.trimmed(), QByteArray("ok")); // the marker line is not in the output
        QCOMPARE(outcome.exitCode, 0);
    }

    void wrongCodeFails()
    {
        const auto outcome = run(u"def add(a, b):\n    return a - b\n\nassert add(1, 2) == 3, 'add(1, 2) should be 3'\n"_s);
        QVERIFY2(outcome.verdict == SandboxVerdict::Failed, describe(outcome));
        QVERIFY2(outcome.detail.contains(u"AssertionError: add(1, 2) should be 3"_s), describe(outcome));
        const auto syntax = run(u"def add(a, b) return a\n"_s);
        QVERIFY2(syntax.verdict == SandboxVerdict::Failed && syntax.detail.contains(u"SyntaxError"_s), describe(syntax));
    }

    void endingBeforeTheTestsFails()
    {
        const auto outcome = run(u"import sys\nsys.exit(0)\nassert False\n"_s);
        QVERIFY2(outcome.verdict == SandboxVerdict::Failed, describe(outcome));
        QVERIFY2(outcome.detail.contains(u"ended before its tests finished"_s), describe(outcome));
        const auto hard = run(u"import os\nos._exit(0)\n"_s);
        QVERIFY2(hard.verdict == SandboxVerdict::Failed, describe(hard));
    }

    void runsUnprivileged()
    {
        const auto outcome = run(uR"(import os
assert os.getuid() == 65534 and os.geteuid() == 65534, os.getuid()
assert os.getgid() == 65534, os.getgid()
status = open("/proc/self/status").read()
caps = [line.split()[1] for line in status.splitlines() if line.startswith("CapEff:")]
assert caps == ["0000000000000000"], caps
assert [line.split()[1] for line in status.splitlines() if line.startswith("NoNewPrivs:")] == ["1"]
# Only the sandbox's own processes are visible: it is pid 1 of its namespace.
assert os.getpid() == 1, os.getpid()
assert [p for p in os.listdir("/proc") if p.isdigit()] == ["1"], os.listdir("/proc")
try:
    os.unshare(os.CLONE_NEWUSER)
except (OSError, AttributeError) as e:
    print("no nested namespace:", e)
else:
    raise SystemExit("made a user namespace inside the sandbox")
)"_s);
        QVERIFY2(outcome.verdict == SandboxVerdict::Passed, describe(outcome));
    }

    void networkIsDenied()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const auto outcome = run(uR"(import socket
assert [name for _, name in socket.if_nameindex()] == ["lo"], socket.if_nameindex()
for host in ("127.0.0.1", "10.0.0.1", "1.1.1.1"):
    try:
        socket.create_connection((host, %1), timeout=2).close()
    except OSError as e:
        print(host, "unreachable:", e)
    else:
        raise SystemExit("connected to " + host)
try:
    socket.getaddrinfo("deb.debian.org", 80)
except OSError as e:
    print("no name resolution:", e)
else:
    raise SystemExit("resolved a name")
)"_s.arg(server.serverPort()));
        QVERIFY2(outcome.verdict == SandboxVerdict::Passed, describe(outcome));
        QTest::qWait(50);
        QVERIFY2(!server.hasPendingConnections(), "the sandbox reached a host port on loopback");
    }

    void writesOnlyToItsTmpfs()
    {
        QTemporaryDir host; // on the host, writable by anyone: the sandbox must not even see it
        QVERIFY(host.isValid());
        QVERIFY(QFile::setPermissions(host.path(), QFileDevice::Permissions(0x7777)));
        const QString marker = u"boo-sandbox-escape-%1"_s.arg(QRandomGenerator::global()->generate64(), 0, 16);
        const auto outcome = run(uR"(import os
targets = ["/usr/%1", "/%1", "/bin/%1", "/proc/%1", "%2/%1", "/dev/%1", "/var/tmp/%1", "/etc/%1"]
for path in targets:
    try:
        with open(path, "w") as f:
            f.write("escaped")
    except OSError as e:
        print(path, "refused:", e.strerror)
    else:
        raise SystemExit("wrote " + path)
with open("/tmp/%1", "w") as f:
    f.write("inside")
assert open("/tmp/%1").read() == "inside"
with open("/dev/shm/%1", "w") as f:
    f.write("inside")
try:
    with open("/dev/shm/big", "wb") as f:
        f.write(b"x" * (5 << 20))
except OSError as e:
    print("/dev/shm is small:", e.strerror)
else:
    raise SystemExit("/dev/shm has no size limit")
os.mkdir("/tmp/d")
)"_s.arg(marker, host.path()));
        QVERIFY2(outcome.verdict == SandboxVerdict::Passed, describe(outcome));
        // The machine is unchanged: nothing of the run is on the host's disks.
        const QStringList hostPaths{u"/tmp/"_s + marker, u"/dev/shm/"_s + marker, u"/var/tmp/"_s + marker, u"/"_s + marker,
                                    host.path() + u'/' + marker};
        for (const QString &path : hostPaths)
            QVERIFY2(!QFile::exists(path), qPrintable(path));
        QVERIFY(QDir(host.path()).isEmpty());
    }

    void homeAndSecretsAreInvisible()
    {
        QTemporaryDir host;
        QVERIFY(host.isValid());
        QFile secret(host.filePath(u"secret"_s));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("hunter2");
        secret.close();
        QVERIFY(QFile::setPermissions(secret.fileName(), QFileDevice::Permissions(0x4444)));
        const QString home = QDir::homePath();
        const auto outcome = run(uR"(import os
for path in ["%1", "/root", "/home", "/etc/shadow", "/etc/passwd", "%2", "/work", "/var", "/run"]:
    assert not os.path.exists(path), path + " is visible"
    try:
        open(path).read()
    except OSError as e:
        print(path, "unreadable:", e.strerror)
    else:
        raise SystemExit("read " + path)
assert os.environ.get("HOME") == "/tmp", os.environ
assert "BOO" not in " ".join(os.environ), os.environ
)"_s.arg(home, secret.fileName()));
        QVERIFY2(outcome.verdict == SandboxVerdict::Passed, describe(outcome));
    }

    void forkBombIsKilled()
    {
        SandboxLimits limits;
        limits.wallClockMs = 20000;
        const auto outcome = run(u"import os\nwhile True:\n    os.fork()\n"_s, limits);
        QVERIFY2(outcome.verdict == SandboxVerdict::Killed, describe(outcome));
        QVERIFY2(outcome.detail.startsWith(u"process limit"_s), describe(outcome));
    }

    void memoryBombIsKilled()
    {
        const auto outcome = run(u"blocks = []\nwhile True:\n    blocks.append(bytearray(16 << 20))\n"_s);
        QVERIFY2(outcome.verdict == SandboxVerdict::Killed, describe(outcome));
        QVERIFY2(outcome.detail.startsWith(u"memory limit"_s), describe(outcome));
        const auto once = run(u"x = bytearray(4 << 30)\n"_s);
        QVERIFY2(once.verdict == SandboxVerdict::Killed, describe(once));
    }

    void cpuBurnIsKilled()
    {
        SandboxLimits limits;
        limits.cpuSeconds = 1;
        limits.wallClockMs = 20000;
        const auto outcome = run(u"while True:\n    pass\n"_s, limits);
        QVERIFY2(outcome.verdict == SandboxVerdict::Killed, describe(outcome));
        QVERIFY2(outcome.elapsedMs < 15000, describe(outcome));
    }

    void largeFilesAreRefused()
    {
        const auto outcome = run(u"with open('/tmp/big', 'wb') as f:\n    f.write(b'x' * (16 << 20))\n"_s);
        QVERIFY2(outcome.verdict == SandboxVerdict::Killed, describe(outcome));
        QVERIFY2(outcome.detail.startsWith(u"file size limit"_s), describe(outcome));
    }

    void sleepingForeverTimesOut()
    {
        SandboxLimits limits;
        limits.wallClockMs = 1500;
        const auto outcome = run(u"import time\ntime.sleep(100000)\n"_s, limits);
        QVERIFY2(outcome.verdict == SandboxVerdict::Timeout, describe(outcome));
        QVERIFY2(outcome.elapsedMs >= 1500 && outcome.elapsedMs < 6000, describe(outcome));
        // Also when it ignores signals and hides in a child of its own session.
        const auto stubborn = run(uR"(import os, signal, time
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
if os.fork() == 0:
    os.setsid()
    time.sleep(100000)
time.sleep(100000)
)"_s,
                                  limits);
        QVERIFY2(stubborn.verdict == SandboxVerdict::Timeout, describe(stubborn));
    }

    void closedOutputDoesNotSpin()
    {
        // A program that closes its output and waits must not make the reader spin meanwhile.
        SandboxLimits limits;
        limits.wallClockMs = 2000;
        rusage before{};
        getrusage(RUSAGE_SELF, &before);
        const auto outcome = run(u"import os, time\nos.close(1)\nos.close(2)\ntime.sleep(100000)\n"_s, limits);
        rusage after{};
        getrusage(RUSAGE_SELF, &after);
        QVERIFY2(outcome.verdict == SandboxVerdict::Timeout, describe(outcome));
        const auto cpuMs = [](const rusage &u) {
            return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000.0 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000.0;
        };
        const double used = cpuMs(after) - cpuMs(before);
        QVERIFY2(used < 500, qPrintable(u"%1 ms of CPU while waiting 2 s"_s.arg(used)));
    }

    void hugeOutputIsCut()
    {
        SandboxLimits limits;
        limits.outputBytes = 32 * 1024;
        const auto outcome = run(u"while True:\n    print('x' * 1000)\n"_s, limits);
        QVERIFY2(outcome.verdict == SandboxVerdict::OutputCut, describe(outcome));
        QCOMPARE(outcome.output.size(), limits.outputBytes);
        QVERIFY(outcome.elapsedMs < 5000);
    }

    void backgroundProcessesDieWithTheRun()
    {
        // The check in run() proves they are gone; the run itself must not wait for them.
        const auto outcome = run(uR"(import os, subprocess, time
if os.fork() == 0:
    os.setsid()
    time.sleep(100000)
subprocess.Popen(["/usr/bin/sleep", "100000"], start_new_session=True)
print("left two sleepers behind")
)"_s);
        QVERIFY2(outcome.verdict == SandboxVerdict::Passed, describe(outcome));
        QVERIFY2(outcome.elapsedMs < 5000, describe(outcome));
    }

    void concurrentRunsStayApart()
    {
        // The process limit counts per sandbox: four at once with 13 processes each stay under 32.
        QList<SandboxOutcome> outcomes(4);
        QList<QThread *> threads;
        for (int i = 0; i < 4; ++i) {
            threads << QThread::create([this, i, &outcomes] {
                outcomes[i] = m_sandbox->runPython(uR"(import os, time
kids = []
for _ in range(12):
    pid = os.fork()
    if pid == 0:
        time.sleep(1.5)
        os._exit(0)
    kids.append(pid)
for _ in kids:
    os.wait()
)"_s,
                                                   SandboxLimits{});
            });
            threads.last()->start();
        }
        for (QThread *thread : threads) {
            thread->wait();
            delete thread;
        }
        for (const auto &outcome : outcomes)
            QVERIFY2(outcome.verdict == SandboxVerdict::Passed, describe(outcome));
    }
};

QTEST_GUILESS_MAIN(TestCodeSandbox)
#include "tst_codesandbox.moc"
