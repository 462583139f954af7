#pragma once

#include <QtGlobal>

namespace boo {

class ConfigJobs;
class ControlServer;

// A host's llama-swap config over the control API (docs/server.md, "Host config"; docs/remote.md),
// for scripts and the desktop attached to a --serve:
//   GET  /api/hosts/{id}/config                {"host","path","text","sha256"}, read over SSH
//   POST /api/hosts/{id}/config/validate       body: the YAML text → the validator's JSON
//                                              {"valid","errors":[{path,line,column,rule,message}],"warnings"}
//   POST /api/hosts/{id}/config/diff           body: the YAML text → {"diff","current_sha256","new_sha256",
//                                              "changed","validation"} against the host's file
//   POST /api/hosts/{id}/config/apply          {"text","sha256","force"?,"reason"?,"author"?}: 202 {"job"} once
//                                              the host is held; 409 when the file is no longer `sha256` (with
//                                              the new diff), when a change to the host runs, or the gate refuses
//   GET  /api/hosts/{id}/config/jobs/{jobId}   the job: state, steps, outcome and result
//   GET  /api/hosts/{id}/config/backups        the versions kept in the database, newest first
//   POST /api/hosts/{id}/config/restore        {"backup_id","sha256","force"?,"reason"?}: that version, applied
//                                              as an apply is (validation shown, not a stop)
// validate and diff take the text as the body, or JSON {"text": ...} with Content-Type
// application/json. Progress goes out on the WebSocket as `config_progress` messages.
class ConfigApi final
{
public:
    // llama-swap configs are a few KiB; a generous cap that keeps what a client can make the
    // server hold small.
    static constexpr qint64 kMaxBodyBytes = 512 * 1024;

    static void install(ControlServer *server, ConfigJobs *jobs);
};

} // namespace boo
