// libFuzzer target for HttpPath and HttpRouter: the path every decision of the server reads.
//
// Oracle: normalising is idempotent and never yields a dot-segment, an encoded slash or an empty
// segment; the router never crashes on a normalised path and, when it matches, the match is one
// of its routes and a GET route also answers HEAD.
#include "core/http/httppath.h"
#include "core/http/httpresponder.h"
#include "core/http/httprouter.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using boo::HttpPath;
using boo::HttpRouter;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_httprouter: %s\n", what);
        std::abort();
    }
}

const HttpRouter &router()
{
    static const HttpRouter r = [] {
        HttpRouter out;
        const auto none = [](const boo::HttpRequest &, boo::HttpResponder) {};
        for (const auto &[method, pattern] : std::initializer_list<std::pair<QByteArray, QString>>{
                 {"GET"_ba, u"/api/health"_s},
                 {"GET"_ba, u"/api/fleet"_s},
                 {"GET"_ba, u"/api/hosts/{host}/captures/{id}"_s},
                 {"GET"_ba, u"/api/hosts/{host}/logs/{source...}"_s},
                 {"POST"_ba, u"/api/actions"_s},
                 {"POST"_ba, u"/v1/chat/completions"_s},
                 {QByteArray(), u"/upstream/{rest...}"_s},
                 {"GET"_ba, u"/ui/"_s},
                 {"GET"_ba, u"/ui/{$}"_s},
             })
            check(out.add(method, pattern, none), "route refused");
        return out;
    }();
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView raw(reinterpret_cast<const char *>(data), qsizetype(size));
    const HttpPath::Normalised n = HttpPath::normalise(raw);
    if (!n.ok())
        return 0;
    check(HttpPath::normalise(n.path).path == n.path, "normalising is not idempotent");
    if (n.path == "*")
        return 0;
    check(!n.path.contains("//"), "empty segment left");
    const QByteArray lower = n.path.toLower();
    check(!lower.contains("%2f") && !lower.contains("%5c") && !lower.contains('\\'), "encoded slash left");
    for (const QByteArray &segment : n.path.split('/'))
        check(segment != "." && segment != "..", "dot-segment left");
    for (const QByteArray &method : {"GET"_ba, "HEAD"_ba, "POST"_ba, "DELETE"_ba}) {
        const HttpRouter::Match m = router().match(method, n.path);
        if (m.route && method == "HEAD")
            check(m.route->method.isEmpty() || m.route->method == "GET", "HEAD matched a route that is not GET");
        check(!(m.route && !m.allowedMethods.isEmpty()), "matched and refused at once");
    }
    return 0;
}
