#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace boo {

// How BooControl names itself on every request of its own (`BooControl/<version>`), so that an
// operator reading a host's access log or in-flight list can tell the cockpit's polling from a
// browser or an application. Requests the gateway relays keep their client's User-Agent.
QByteArray booUserAgent();

// True for a User-Agent that one of our own requests carries (any version: a server and the
// cockpits attached to it may differ by a release).
bool isBooUserAgent(QByteArrayView userAgent);

} // namespace boo
