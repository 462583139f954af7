#pragma once

#include "core/common/enumnames.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QString>

namespace boo {

// How one sandboxed run ended (docs/evals.md). `killed` means a resource limit stopped it
// (memory, processes, CPU time, file size); `error` that the sandbox itself could not run it.
enum class SandboxVerdict { Passed, Failed, Timeout, Killed, OutputCut, Error };
inline constexpr EnumName<SandboxVerdict> kSandboxVerdictNames[] = {
    {SandboxVerdict::Passed, u"passed"}, {SandboxVerdict::Failed, u"failed"},        {SandboxVerdict::Timeout, u"timeout"},
    {SandboxVerdict::Killed, u"killed"}, {SandboxVerdict::OutputCut, u"output_cut"}, {SandboxVerdict::Error, u"error"},
};

// What one run may use. The defaults suit small exercise-sized tasks on a 2-core machine.
struct SandboxLimits
{
    int wallClockMs = 10000;                // then the whole sandbox is killed: timeout
    int cpuSeconds = 10;                    // RLIMIT_CPU of each process
    qint64 addressSpaceBytes = 512LL << 20; // RLIMIT_AS of each process
    int processes = 32;                     // RLIMIT_NPROC inside the sandbox's user namespace
    qint64 fileSizeBytes = 4LL << 20;       // RLIMIT_FSIZE: the largest file it may write
    qint64 tmpfsBytes = 32LL << 20;         // size of /tmp, the only writable place
    qint64 outputBytes = 64LL << 10;        // stdout + stderr read; more is output_cut
};

struct SandboxOutcome
{
    SandboxVerdict verdict = SandboxVerdict::Error;
    QString detail;    // why, for people: the failing assertion, the limit hit, the setup error
    QByteArray output; // stdout and stderr interleaved, at most limits.outputBytes
    int exitCode = -1; // of the sandboxed program (128 + signal when a signal ended it)
    qint64 elapsedMs = 0;
};

// Runs untrusted Python (a model's answer followed by a task's tests) inside bubblewrap:
//   * new user, pid, network, IPC, UTS, mount and cgroup namespaces (`--unshare-all`), no
//     network device but loopback, no nested user namespaces (`--disable-userns`);
//   * the program runs as uid/gid 65534 inside without capabilities; when BooControl runs as
//     root, bubblewrap itself is started as uid 65534 too, because the kernel never applies
//     RLIMIT_NPROC to processes of the host's root;
//   * the file system is /usr (read-only, with /bin, /lib, /lib64 as on the host), a fresh /proc,
//     a read-only /dev with its own small /dev/shm, and a size-limited tmpfs on /tmp, the only
//     other writable place; the root is read-only; no /home, /root, /etc, /var or /sys;
//   * the program is the sandbox's pid 1 (`--as-pid-1`): when it exits, the kernel kills every
//     process it left behind; when BooControl dies, bubblewrap and the sandbox die with it;
//   * nothing is written to the host's disks: the program arrives on stdin.
// run() blocks; one CodeSandbox may be used from several threads at once.
class CodeSandbox final
{
public:
    // Finds bwrap and python3 and proves with one tiny run that the namespaces can be made here
    // (containers and hardened kernels may forbid them). Error code "evals.sandbox".
    static Result<CodeSandbox> locate();

    SandboxOutcome runPython(const QString &program, const SandboxLimits &limits) const;

    const QString &bwrapPath() const { return m_bwrap; }
    const QString &pythonPath() const { return m_python; }

private:
    CodeSandbox(QString bwrap, QString python)
        : m_bwrap(std::move(bwrap))
        , m_python(std::move(python))
    {
    }
    QStringList arguments(const SandboxLimits &limits) const;

    QString m_bwrap;
    QString m_python; // resolved path under /usr
};

} // namespace boo
