#pragma once

class QCoreApplication;

namespace boo {

// `boocontrol keys create|list|revoke|rotate ...` (docs/keys.md): the consumer keys of the
// gateway, in the database a `--serve` uses (the same --db and default). A running server
// picks the change up within a second.
//
// Exit codes: 0 done, 1 the database could not be opened or written, 2 bad command line,
// 4 the key cannot be changed so (unknown name, name taken, revoked).
class KeysCommand final
{
public:
    // Whether the command line is `boocontrol keys ...`.
    static bool requested(int argc, char **argv);
    static int run(QCoreApplication &app);
};

} // namespace boo
