#pragma once

namespace boo {

class ControlServer;
class Gateway;

// The consumer keys of the gateway for operators (docs/keys.md): the desktop's Keys page and
// scripts. Under /api, so a consumer key never opens them: the server token does (and, as for
// the rest of /api, nothing on a loopback listener without a token).
//   GET    /api/keys                  every key, never its hash or secret
//   POST   /api/keys                  create: the secret is in this answer and nowhere else
//   POST   /api/keys/{name}/rotate    a new secret for the same key; the old one stops working
//   PATCH  /api/keys/{name}           change limits, models, expiry, disabled
//   DELETE /api/keys/{name}           revoke
//   GET    /api/keys/{name}           one key
//   GET    /api/keys/usage            requests, refusals and tokens per key and UTC day
//   GET    /api/keys/{name}/usage     the same for one key ("usage" is no key name: no clash)
// A change made here reaches the gateway's key ring at once.
class KeysApi final
{
public:
    static void install(Gateway *gateway, ControlServer *server);
};

} // namespace boo
