/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import {
  type Category,
  categoryOf,
  type LocalizedSurvey,
  loadSurvey,
  type SurveyHost,
  submitAnswer,
} from "./survey-client";

const SCORES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

type Translate = (key: string) => string;

type Stage =
  | { name: "loading" }
  | { name: "hidden" }
  | { name: "asking"; survey: LocalizedSurvey }
  | { name: "thanks"; survey: LocalizedSurvey; category: Category };

function firstValue(event: Event): string | undefined {
  return (event.currentTarget as unknown as { values?: string[] }).values?.[0];
}

/** The NPS survey: 0–10 scale, the follow-up for the chosen category, optional CSAT/CES, then a thank-you. */
export function Survey({ host, t }: { host: SurveyHost; t: Translate }) {
  const [stage, setStage] = useState<Stage>({ name: "loading" });
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [csat, setCsat] = useState<number | null>(null);
  const [ces, setCes] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    loadSurvey(host).then((result) =>
      setStage(result.show ? { name: "asking", survey: result.survey } : { name: "hidden" }),
    );
  }, [host]);

  // Nothing to show — and nothing while loading, so the page never flashes an empty card.
  if (stage.name === "loading" || stage.name === "hidden") return null;
  const { survey } = stage;

  if (stage.name === "thanks") {
    return (
      <s-stack gap="base">
        <s-heading>{t("thanks")}</s-heading>
        <s-text>{survey.thankYou[stage.category]}</s-text>
        {stage.category === "promoter" && survey.reviewUrl ? (
          <s-link href={survey.reviewUrl}>{t("review")}</s-link>
        ) : null}
      </s-stack>
    );
  }

  const category = score === null ? null : categoryOf(score);
  const send = async () => {
    if (score === null) return;
    setSending(true);
    setFailed(false);
    const result = await submitAnswer(host, { score, comment, csat, ces });
    setSending(false);
    if (result === "thanks") setStage({ name: "thanks", survey, category: categoryOf(score) });
    else setFailed(true);
  };

  return (
    <s-stack gap="base">
      <s-choice-list
        label={survey.question}
        name="nps-score"
        variant="inline"
        values={score === null ? [] : [String(score)]}
        onChange={(event: Event) => {
          const value = firstValue(event);
          if (value !== undefined) setScore(Number(value));
        }}
      >
        {SCORES.map((value) => (
          <s-choice key={value} value={value} accessibilityLabel={`${value} / 10`}>
            {value}
          </s-choice>
        ))}
      </s-choice-list>
      <s-stack direction="inline" justifyContent="space-between">
        <s-text color="subdued">{`0 = ${survey.scale.lowLabel}`}</s-text>
        <s-text color="subdued">{`10 = ${survey.scale.highLabel}`}</s-text>
      </s-stack>
      {category ? (
        <s-stack gap="base">
          <s-text-area
            label={survey.followUp[category]}
            placeholder={survey.commentPlaceholder}
            maxLength={2000}
            value={comment}
            onInput={(event: Event) =>
              setComment((event.currentTarget as unknown as { value: string }).value)
            }
          />
          {survey.csat ? (
            <RatingList label={survey.csat.question} name="csat" max={5} value={csat} onChange={setCsat} />
          ) : null}
          {survey.ces ? (
            <RatingList label={survey.ces.question} name="ces" max={7} value={ces} onChange={setCes} />
          ) : null}
          {failed ? <s-banner tone="critical">{t("error")}</s-banner> : null}
          <s-button variant="primary" loading={sending} onClick={send}>
            {failed ? t("retry") : survey.submitLabel}
          </s-button>
        </s-stack>
      ) : null}
    </s-stack>
  );
}

function RatingList(props: {
  label: string;
  name: string;
  max: number;
  value: number | null;
  onChange: (value: number) => void;
}) {
  const values = Array.from({ length: props.max }, (_, index) => String(index + 1));
  return (
    <s-choice-list
      label={props.label}
      name={props.name}
      variant="inline"
      values={props.value === null ? [] : [String(props.value)]}
      onChange={(event: Event) => {
        const value = firstValue(event);
        if (value !== undefined) props.onChange(Number(value));
      }}
    >
      {values.map((value) => (
        <s-choice key={value} value={value}>
          {value}
        </s-choice>
      ))}
    </s-choice-list>
  );
}
