#pragma once

#include "core/client/chatrequest.h"

#include <QNetworkAccessManager>
#include <QWidget>

class QCheckBox;
class QLabel;
class QDoubleSpinBox;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace boo {

class CockpitBackend;
class ModelPickerModel;
class PlaygroundSide;

// The Playground tab: chat with any model of the fleet, straight to its host (local cockpit) or
// through the server's gateway (attached), with the sampling parameters at hand; and A/B: the
// same conversation to two targets at once, each streaming with its own numbers.
class PlaygroundView final : public QWidget
{
    Q_OBJECT

public:
    explicit PlaygroundView(CockpitBackend *backend, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(PlaygroundView)

    ModelPickerModel *picker() const { return m_picker; }
    PlaygroundSide *sideA() const { return m_sideA; }
    PlaygroundSide *sideB() const { return m_sideB; }

    // The form's parameters (no messages), or what is wrong with the extras box.
    Result<ChatRequest> parameters() const;
    void setComparing(bool compare);
    void swapSides();
    // "Copy as curl" of side A's next request (and B's when comparing), also put on the clipboard.
    QString copyAsCurl();

public Q_SLOTS:
    void send();
    void stop();

private:
    QWidget *buildParameters();
    void updateButtons();
    void editMark(bool favorite);

    CockpitBackend *m_backend;
    QNetworkAccessManager m_nam;
    ModelPickerModel *m_picker;
    PlaygroundSide *m_sideA;
    PlaygroundSide *m_sideB;
    QLineEdit *m_search;
    QCheckBox *m_showHidden;
    QCheckBox *m_compare;
    QPlainTextEdit *m_system;
    QDoubleSpinBox *m_temperature;
    QDoubleSpinBox *m_topP;
    QSpinBox *m_topK;
    QSpinBox *m_maxTokens;
    QLineEdit *m_seed;
    QLineEdit *m_stop;
    QPlainTextEdit *m_extras;
    QPlainTextEdit *m_prompt;
    QPushButton *m_send;
    QPushButton *m_stopButton;
    QPushButton *m_swap;
    QLabel *m_problem;
};

} // namespace boo
