import type { Category } from "./category";
import { DEFAULT_QUESTION, DEFAULT_SURVEY_SETTINGS, type SurveySettings } from "./survey-settings";

export const BUILT_IN_LOCALES = ["en", "fr", "de", "es"] as const;
export type BuiltInLocale = (typeof BUILT_IN_LOCALES)[number];

interface Texts {
  question: string;
  lowLabel: string;
  highLabel: string;
  followUp: Record<Category, string>;
  thankYou: Record<Category, string>;
  commentPlaceholder: string;
  submitLabel: string;
  csat: string;
  ces: string;
}

const BUILT_IN: Record<BuiltInLocale, Texts> = {
  en: {
    question: DEFAULT_QUESTION,
    lowLabel: "Not at all likely",
    highLabel: "Extremely likely",
    followUp: DEFAULT_SURVEY_SETTINGS.followUp,
    thankYou: DEFAULT_SURVEY_SETTINGS.thankYou,
    commentPlaceholder: "Tell us more (optional)",
    submitLabel: "Send",
    csat: "How satisfied are you with your purchase?",
    ces: "How easy was it to buy from us?",
  },
  fr: {
    question: "Quelle est la probabilité que vous recommandiez {shop_name} à un ami ?",
    lowLabel: "Pas du tout probable",
    highLabel: "Très probable",
    followUp: {
      promoter: "Qu'avez-vous le plus apprécié ?",
      passive: "Que faudrait-il pour mériter un 10 ?",
      detractor: "Qu'est-ce qui n'a pas été ? Nous voulons nous rattraper.",
    },
    thankYou: {
      promoter: "Merci ! Nous sommes ravis que vous nous appréciiez.",
      passive: "Merci pour votre avis sincère.",
      detractor: "Merci. Nous sommes désolés et allons nous améliorer.",
    },
    commentPlaceholder: "Dites-nous en plus (facultatif)",
    submitLabel: "Envoyer",
    csat: "Êtes-vous satisfait(e) de votre achat ?",
    ces: "Était-il facile d'acheter chez nous ?",
  },
  de: {
    question: "Wie wahrscheinlich ist es, dass Sie {shop_name} einem Freund empfehlen?",
    lowLabel: "Sehr unwahrscheinlich",
    highLabel: "Sehr wahrscheinlich",
    followUp: {
      promoter: "Was hat Ihnen am besten gefallen?",
      passive: "Was fehlt uns zur 10?",
      detractor: "Was ist schiefgelaufen? Wir möchten es wiedergutmachen.",
    },
    thankYou: {
      promoter: "Vielen Dank! Schön, dass Sie zufrieden sind.",
      passive: "Danke für Ihr ehrliches Feedback.",
      detractor: "Danke. Es tut uns leid – wir werden uns verbessern.",
    },
    commentPlaceholder: "Erzählen Sie uns mehr (optional)",
    submitLabel: "Senden",
    csat: "Wie zufrieden sind Sie mit Ihrem Einkauf?",
    ces: "Wie einfach war der Einkauf bei uns?",
  },
  es: {
    question: "¿Qué probabilidad hay de que recomiende {shop_name} a un amigo?",
    lowLabel: "Nada probable",
    highLabel: "Muy probable",
    followUp: {
      promoter: "¿Qué es lo que más le gustó?",
      passive: "¿Qué nos falta para un 10?",
      detractor: "¿Qué salió mal? Queremos solucionarlo.",
    },
    thankYou: {
      promoter: "¡Gracias! Nos alegra mucho que le guste.",
      passive: "Gracias por su opinión sincera.",
      detractor: "Gracias. Lo sentimos; lo usaremos para mejorar.",
    },
    commentPlaceholder: "Cuéntenos más (opcional)",
    submitLabel: "Enviar",
    csat: "¿Qué tan satisfecho está con su compra?",
    ces: "¿Qué tan fácil fue comprar con nosotros?",
  },
};

/** The texts shipped for a language, before any merchant override (placeholders of the translation form). */
export function builtInTexts(locale: BuiltInLocale): Pick<Texts, "question" | "followUp" | "thankYou"> {
  const { question, followUp, thankYou } = BUILT_IN[locale];
  return { question, followUp, thankYou };
}

/** "fr-CA" → "fr"; anything unknown → "en". */
export function resolveLocale(requested: string | null | undefined): BuiltInLocale {
  const language = (requested ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return (BUILT_IN_LOCALES as readonly string[]).includes(language) ? (language as BuiltInLocale) : "en";
}

export interface LocalizedSurvey {
  locale: BuiltInLocale;
  question: string;
  scale: { min: 0; max: 10; lowLabel: string; highLabel: string };
  followUp: Record<Category, string>;
  thankYou: Record<Category, string>;
  commentPlaceholder: string;
  submitLabel: string;
  csat: { question: string } | null;
  ces: { question: string } | null;
  reviewUrl: string | null;
}

/**
 * The merchant's top-level texts are English; in other languages the built-in translation is used unless the
 * merchant wrote an override for that language. {shop_name} is substituted everywhere.
 */
export function localizeSurvey(
  settings: SurveySettings,
  options: { locale?: string | null; shopName: string },
): LocalizedSurvey {
  const locale = resolveLocale(options.locale);
  const builtIn = BUILT_IN[locale];
  const override = settings.overrides[locale] ?? {};
  // An empty override (a field being edited) means the built-in text, as it does once saved.
  const or = (text: string | undefined, fallback: string) => (text?.trim() ? text : fallback);
  const byCategory = (kind: "followUp" | "thankYou") => {
    const base = locale === "en" ? settings[kind] : builtIn[kind];
    return {
      promoter: or(override[kind]?.promoter, base.promoter),
      passive: or(override[kind]?.passive, base.passive),
      detractor: or(override[kind]?.detractor, base.detractor),
    };
  };
  const question = or(override.question, locale === "en" ? settings.question : builtIn.question);
  const fill = (text: string) => text.replaceAll("{shop_name}", options.shopName);
  const mapValues = (texts: Record<Category, string>) => ({
    promoter: fill(texts.promoter),
    passive: fill(texts.passive),
    detractor: fill(texts.detractor),
  });
  return {
    locale,
    question: fill(question),
    scale: { min: 0, max: 10, lowLabel: builtIn.lowLabel, highLabel: builtIn.highLabel },
    followUp: mapValues(byCategory("followUp")),
    thankYou: mapValues(byCategory("thankYou")),
    commentPlaceholder: builtIn.commentPlaceholder,
    submitLabel: builtIn.submitLabel,
    csat: settings.csat.enabled
      ? { question: fill(locale === "en" ? (settings.csat.question ?? builtIn.csat) : builtIn.csat) }
      : null,
    ces: settings.ces.enabled
      ? { question: fill(locale === "en" ? (settings.ces.question ?? builtIn.ces) : builtIn.ces) }
      : null,
    reviewUrl: settings.reviewUrl ?? null,
  };
}
