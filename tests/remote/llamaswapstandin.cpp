// A process named llama-swap for tst_remoteconfigfile: it notes a SIGHUP in the file given as
// its argument and exits 0. It installs its handler itself, because a test may be started with
// SIGHUP ignored (nohup, some job runners), which a plain `sleep` or a shell trap would inherit.

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {

volatile std::sig_atomic_t hangup = 0;

void onHangup(int)
{
    hangup = 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    struct sigaction action = {};
    action.sa_handler = onHangup;
    sigemptyset(&action.sa_mask);
    sigaction(SIGHUP, &action, nullptr);
    for (int i = 0; i < 1200 && !hangup; ++i)
        usleep(100 * 1000);
    if (!hangup)
        return 1;
    if (std::FILE *marker = std::fopen(argv[1], "w")) {
        std::fputs("hup\n", marker);
        std::fclose(marker);
    }
    return 0;
}
