#pragma once

#include <QString>
#include <QStringView>

namespace boo {

// A model process state as llama-swap reports it (modelStatus events, /running).
// Peer models report "" (None); a string we do not know maps to Unknown and the raw text is kept
// by the record that carried it, so a newer release never breaks the display.
enum class ModelState { None, Stopped, Starting, Ready, Stopping, Shutdown, Unknown };

ModelState modelStateFromString(QStringView text);
QString modelStateName(ModelState state);

} // namespace boo
