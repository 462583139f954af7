#include "core/evals/codesandbox.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// The uid and gid of "nobody" on Debian: what the program runs as inside, and what bubblewrap
// runs as on the host when BooControl is root.
constexpr uid_t kSandboxId = 65534;
// Size of the sandbox's /dev/shm.
constexpr qint64 kShmBytes = 4LL << 20;

// Runs inside the sandbox before the program: reads the marker line and the program from stdin,
// sets the limits that must be set inside the new user namespace (RLIMIT_NPROC counts per
// namespace there), runs the program as __main__ and, only if it got through all of it, writes
// the marker. A program that ends early (sys.exit(0) before its tests) therefore fails.
constexpr char kLauncher[] = R"PY(import os, resource, sys
def _boo_launch():
    data = sys.stdin.buffer.read()
    marker, _, source = data.partition(b"\n")
    sys.stdin.close()
    sys.stdin = open(os.devnull)
    cpu, address_space, processes, file_size = (int(v) for v in sys.argv[1:5])
    for limit, value in ((resource.RLIMIT_CPU, (cpu, cpu + 1)), (resource.RLIMIT_AS, (address_space, address_space)),
                         (resource.RLIMIT_NPROC, (processes, processes)), (resource.RLIMIT_FSIZE, (file_size, file_size)),
                         (resource.RLIMIT_NOFILE, (64, 64)), (resource.RLIMIT_CORE, (0, 0))):
        resource.setrlimit(limit, value)
    del sys.argv[1:]
    code = compile(source, "task.py", "exec")
    exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, b"\n" + marker + b"\n")
_boo_launch()
)PY";

// Host directories the interpreter needs, bound read-only (or recreated as the symlinks they are
// on merged-/usr systems).
const QStringList &systemDirectories()
{
    static const QStringList dirs{u"/bin"_s, u"/lib"_s, u"/lib64"_s, u"/lib32"_s, u"/libx32"_s, u"/sbin"_s};
    return dirs;
}

QString lastLines(const QByteArray &output, int count)
{
    QStringList lines = QString::fromUtf8(output).split(u'\n', Qt::SkipEmptyParts);
    while (lines.size() > count)
        lines.removeFirst();
    QString text = lines.join(u" | "_s).trimmed();
    if (text.size() > 400)
        text = u"…"_s + text.right(399);
    return text;
}

// Why a finished program failed: a limit we set (killed) or its own error (failed).
SandboxOutcome classify(SandboxOutcome outcome)
{
    const QByteArray &out = outcome.output;
    if (outcome.exitCode > 128) {
        const int signal = outcome.exitCode - 128;
        outcome.verdict = SandboxVerdict::Killed;
        if (signal == SIGKILL || signal == SIGXCPU)
            outcome.detail = u"killed by signal %1 (CPU time limit or out of memory)"_s.arg(signal);
        else
            outcome.detail = u"killed by signal %1 (%2)"_s.arg(signal).arg(QString::fromUtf8(strsignal(signal)));
        return outcome;
    }
    if (out.contains("MemoryError")) {
        outcome.verdict = SandboxVerdict::Killed;
        outcome.detail = u"memory limit: %1"_s.arg(lastLines(out, 1));
    } else if (out.contains("BlockingIOError") || out.contains("Resource temporarily unavailable")) {
        outcome.verdict = SandboxVerdict::Killed;
        outcome.detail = u"process limit: %1"_s.arg(lastLines(out, 1));
    } else if (out.contains("File too large")) {
        outcome.verdict = SandboxVerdict::Killed;
        outcome.detail = u"file size limit: %1"_s.arg(lastLines(out, 1));
    } else {
        outcome.verdict = SandboxVerdict::Failed;
        outcome.detail = outcome.exitCode == 0 ? u"the program ended before its tests finished"_s : lastLines(out, 2);
    }
    return outcome;
}

} // namespace

Result<CodeSandbox> CodeSandbox::locate()
{
    const QString bwrap = QStandardPaths::findExecutable(u"bwrap"_s);
    if (bwrap.isEmpty())
        return makeError(u"evals.sandbox"_s, u"bwrap is not installed (Debian package bubblewrap)"_s);
    QString python = QStandardPaths::findExecutable(u"python3"_s, {u"/usr/bin"_s, u"/usr/local/bin"_s});
    if (python.isEmpty())
        return makeError(u"evals.sandbox"_s, u"python3 is not installed in /usr"_s);
    python = QFileInfo(python).canonicalFilePath();
    if (!python.startsWith(u"/usr/"_s))
        return makeError(u"evals.sandbox"_s, u"python3 resolves to %1, outside /usr, which is all the sandbox sees"_s.arg(python));
    CodeSandbox sandbox(bwrap, python);
    SandboxLimits limits;
    limits.wallClockMs = 20000;
    const SandboxOutcome probe = sandbox.runPython(u"print('boo-sandbox-ok')"_s, limits);
    if (probe.verdict != SandboxVerdict::Passed || !probe.output.contains("boo-sandbox-ok"))
        return makeError(u"evals.sandbox"_s, u"bubblewrap cannot make a sandbox here: %1"_s.arg(probe.detail));
    return sandbox;
}

QStringList CodeSandbox::arguments(const SandboxLimits &limits) const
{
    QStringList args{u"--unshare-all"_s,
                     u"--unshare-user"_s,
                     u"--disable-userns"_s,
                     u"--die-with-parent"_s,
                     u"--new-session"_s,
                     u"--as-pid-1"_s,
                     u"--uid"_s,
                     QString::number(kSandboxId),
                     u"--gid"_s,
                     QString::number(kSandboxId),
                     u"--hostname"_s,
                     u"sandbox"_s,
                     u"--ro-bind"_s,
                     u"/usr"_s,
                     u"/usr"_s};
    for (const QString &dir : systemDirectories()) {
        const QFileInfo info(dir);
        if (info.isSymLink())
            args << u"--symlink"_s << info.symLinkTarget().replace(u"/usr/"_s, u"usr/"_s) << dir;
        else if (info.isDir())
            args << u"--ro-bind"_s << dir << dir;
    }
    // /dev is read-only except its shm, a small tmpfs of its own (Python's multiprocessing uses it).
    args << u"--proc"_s << u"/proc"_s << u"--dev"_s << u"/dev"_s << u"--remount-ro"_s << u"/dev"_s << u"--size"_s
         << QString::number(kShmBytes) << u"--tmpfs"_s << u"/dev/shm"_s << u"--size"_s << QString::number(limits.tmpfsBytes) << u"--tmpfs"_s
         << u"/tmp"_s
         // bubblewrap's own root is a tmpfs without a size limit: read-only once set up.
         << u"--remount-ro"_s << u"/"_s << u"--chdir"_s << u"/tmp"_s << u"--setenv"_s << u"HOME"_s << u"/tmp"_s << u"--"_s << m_python
         << u"-I"_s << u"-S"_s << u"-B"_s << u"-c"_s << QString::fromLatin1(kLauncher) << QString::number(limits.cpuSeconds)
         << QString::number(limits.addressSpaceBytes) << QString::number(limits.processes) << QString::number(limits.fileSizeBytes);
    return args;
}

SandboxOutcome CodeSandbox::runPython(const QString &program, const SandboxLimits &limits) const
{
    SandboxOutcome outcome;
    QElapsedTimer clock;
    clock.start();

    // A fresh marker per run: the launcher prints it after the program's last line ran.
    const QByteArray marker = "boo-done-" + QByteArray::number(QRandomGenerator::system()->generate64(), 16);

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(u"/"_s);
    QProcessEnvironment environment;
    environment.insert(u"PATH"_s, u"/usr/bin:/bin"_s);
    environment.insert(u"LANG"_s, u"C.UTF-8"_s);
    process.setProcessEnvironment(environment);
    process.setChildProcessModifier([] {
        // Between fork and exec: async-signal-safe calls only.
        if (geteuid() == 0) {
            if (setgroups(0, nullptr) != 0 || setgid(kSandboxId) != 0 || setuid(kSandboxId) != 0) {
                static const char message[] = "boo-sandbox: cannot drop root privileges\n";
                (void)!write(STDERR_FILENO, message, sizeof message - 1);
                _exit(127);
            }
        }
        // After the uid change (which clears it): bubblewrap dies with the thread that started it.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    process.start(m_bwrap, arguments(limits));
    if (!process.waitForStarted(5000)) {
        outcome.detail = u"cannot start %1: %2"_s.arg(m_bwrap, process.errorString());
        return outcome;
    }
    process.write(marker + '\n' + program.toUtf8());
    process.closeWriteChannel();

    bool timedOut = false;
    bool cut = false;
    QByteArray output;
    while (process.state() != QProcess::NotRunning) {
        const qint64 remaining = limits.wallClockMs - clock.elapsed();
        if (remaining <= 0) {
            timedOut = true;
            break;
        }
        process.waitForReadyRead(int(qMin<qint64>(remaining, 200)));
        output += process.readAll();
        if (output.size() > limits.outputBytes + marker.size() + 2) {
            cut = true;
            break;
        }
    }
    if (timedOut || cut) {
        // SIGKILL to bubblewrap: its --die-with-parent takes the sandbox's pid 1 along, and the
        // kernel kills every other process of the pid namespace with it.
        process.kill();
    }
    process.waitForFinished(10000);
    if (!cut)
        output += process.readAll();
    outcome.elapsedMs = clock.elapsed();
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : 128 + SIGKILL;

    const QByteArray markerLine = QByteArray("\n") + marker + '\n';
    const qsizetype markerAt = output.lastIndexOf(markerLine);
    const bool completed = markerAt >= 0 && !cut && !timedOut;
    if (markerAt >= 0)
        output.remove(markerAt, markerLine.size());
    if (output.size() > limits.outputBytes) {
        output.truncate(limits.outputBytes);
        cut = true;
    }
    outcome.output = output;

    if (cut) {
        outcome.verdict = SandboxVerdict::OutputCut;
        outcome.detail = u"more than %1 bytes of output; stopped"_s.arg(limits.outputBytes);
        return outcome;
    }
    if (timedOut) {
        outcome.verdict = SandboxVerdict::Timeout;
        outcome.detail = u"still running after %1 s; killed"_s.arg(limits.wallClockMs / 1000.0);
        return outcome;
    }
    if (output.startsWith("bwrap: ") || output.startsWith("boo-sandbox: ")) {
        outcome.verdict = SandboxVerdict::Error;
        outcome.detail = lastLines(output, 1);
        return outcome;
    }
    if (completed && outcome.exitCode == 0) {
        outcome.verdict = SandboxVerdict::Passed;
        return outcome;
    }
    return classify(std::move(outcome));
}

} // namespace boo
