#pragma once

#include <QString>

namespace boo {

// The program in a model's answer to a code task: the first fenced block marked python (```python,
// ```py, ```python3), else the first fenced block of any language, else the whole answer (models
// told "reply with code only" often send bare code). An unterminated fence runs to the end.
QString extractPythonCode(const QString &answer);

} // namespace boo
