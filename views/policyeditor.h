#pragma once

#include "core/common/result.h"
#include "core/gateway/routepolicy.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace boo {

// The form for one route policy: name, description, strategy, the rule and the ordered
// candidate list (add, remove, move up and down).
class PolicyEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit PolicyEditor(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(PolicyEditor)

    void setPolicy(const RoutePolicy &policy);
    // What the form says now, or the first problem, naming the field.
    Result<RoutePolicy> policy() const;
    QStringList candidates() const;

    // For tests and keyboard users: the candidate row being worked on.
    void selectCandidate(int row);
    void addCandidate(const QString &text);
    void removeSelectedCandidate();
    void moveSelectedCandidate(int delta);

Q_SIGNALS:
    void edited();

private:
    void changed();

    RoutePolicy m_original;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QComboBox *m_strategy;
    QCheckBox *m_enabled;
    QLineEdit *m_models;
    QLineEdit *m_sources;
    QSpinBox *m_minTokens;
    QSpinBox *m_maxTokens;
    QComboBox *m_tools;
    QListWidget *m_candidates;
    QLineEdit *m_newCandidate;
    bool m_loading = false;
};

} // namespace boo
