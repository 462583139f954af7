// HttpPath: the one normalised path that authorisation and routing decide on (issue 17).
#include "core/http/httppath.h"

#include <QTest>

using namespace Qt::StringLiterals;
using boo::HttpPath;

Q_DECLARE_METATYPE(HttpPath::Error)

class TestHttpPath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalise_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("normal");
        QTest::addColumn<HttpPath::Error>("error");
        const auto ok = [](const char *name, const QByteArray &raw, const QByteArray &normal) {
            QTest::newRow(name) << raw << normal << HttpPath::Error::None;
        };
        const auto bad
            = [](const char *name, const QByteArray &raw, HttpPath::Error error) { QTest::newRow(name) << raw << QByteArray() << error; };
        ok("root", "/"_ba, "/"_ba);
        ok("plain", "/api/fleet"_ba, "/api/fleet"_ba);
        ok("trailing slash kept", "/ui/"_ba, "/ui/"_ba);
        ok("empty segments collapse", "//api///fleet//"_ba, "/api/fleet/"_ba);
        ok("only slashes", "///"_ba, "/"_ba);
        ok("encoding kept", "/api/ws/%63ontrol"_ba, "/api/ws/%63ontrol"_ba);
        ok("dots inside names", "/m/a.b/...x/.hidden/x..y"_ba, "/m/a.b/...x/.hidden/x..y"_ba);
        ok("three dots", "/a/..."_ba, "/a/..."_ba);
        ok("asterisk", "*"_ba, "*"_ba);
        bad("relative", "api"_ba, HttpPath::Error::NotAbsolute);
        bad("dot", "/a/./b"_ba, HttpPath::Error::DotSegment);
        bad("dot-dot", "/upstream/auto/../../api/fleet"_ba, HttpPath::Error::DotSegment);
        bad("trailing dot-dot", "/a/.."_ba, HttpPath::Error::DotSegment);
        bad("trailing dot", "/a/."_ba, HttpPath::Error::DotSegment);
        bad("encoded dot-dot", "/a/%2e%2E/b"_ba, HttpPath::Error::DotSegment);
        bad("half encoded dot-dot", "/a/.%2e/b"_ba, HttpPath::Error::DotSegment);
        bad("encoded dot", "/a/%2e/b"_ba, HttpPath::Error::DotSegment);
        bad("encoded slash", "/api%2Fws%2fcontrol"_ba, HttpPath::Error::EncodedSlash);
        bad("encoded slash in a name", "/upstream/org%2Fmodel/x"_ba, HttpPath::Error::EncodedSlash);
        bad("encoded backslash", "/a/..%5C..%5capi"_ba, HttpPath::Error::EncodedSlash);
        bad("raw backslash", "/a\\b"_ba, HttpPath::Error::EncodedSlash);
        bad("encoded NUL", "/a%00"_ba, HttpPath::Error::ControlCharacter);
        bad("encoded newline", "/a%0a"_ba, HttpPath::Error::ControlCharacter);
        bad("encoded DEL", "/a%7F"_ba, HttpPath::Error::ControlCharacter);
        bad("bad escape", "/a%zz"_ba, HttpPath::Error::BadEscape);
        bad("cut escape", "/a%2"_ba, HttpPath::Error::BadEscape);
    }
    void normalise()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, normal);
        QFETCH(HttpPath::Error, error);
        const HttpPath::Normalised n = HttpPath::normalise(raw);
        QCOMPARE(n.error, error);
        QCOMPARE(n.path, normal);
        if (n.ok()) // normalising is idempotent
            QCOMPARE(HttpPath::normalise(n.path).path, n.path);
        else
            QVERIFY(!HttpPath::message(error).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpPath)
#include "tst_httppath.moc"
