#pragma once

#include "core/common/enumnames.h"

#include <QString>
#include <QStringView>

namespace boo {

// A model process state as llama-swap reports it (modelStatus events, /running).
// Peer models report "" (None); a string we do not know maps to Unknown and the raw text is kept
// by the record that carried it, so a newer release never breaks the display.
enum class ModelState { None, Stopped, Starting, Ready, Stopping, Shutdown, Unknown };

// llama-swap's names. None and Unknown have none: they stand for "" and for any other text.
inline constexpr EnumName<ModelState> kModelStateNames[] = {
    {ModelState::Stopped, u"stopped"},   {ModelState::Starting, u"starting"}, {ModelState::Ready, u"ready"},
    {ModelState::Stopping, u"stopping"}, {ModelState::Shutdown, u"shutdown"},
};

ModelState modelStateFromString(QStringView text);
// "" for None, "unknown" for Unknown.
QString modelStateName(ModelState state);

} // namespace boo
