import { BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";

const SCORES = Array.from({ length: 11 }, (_, value) => value);
import { categoryForScore } from "~/domain/category";
import type { LocalizedSurvey } from "~/domain/survey-text";

/** The survey roughly as shoppers see it in the checkout extension; click a score to see its follow-up. */
export function SurveyPreview({ survey }: { survey: LocalizedSurvey }) {
  const [score, setScore] = useState<number | null>(null);
  const category = score === null ? null : categoryForScore(score);
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="300">
        <Text as="p" variant="headingSm">
          {survey.question}
        </Text>
        <InlineStack gap="100">
          {SCORES.map((value) => (
            <Button
              key={value}
              size="micro"
              pressed={score === value}
              onClick={() => setScore(value)}
              accessibilityLabel={`${value}`}
            >
              {String(value)}
            </Button>
          ))}
        </InlineStack>
        <InlineStack align="space-between">
          <Text as="span" variant="bodySm" tone="subdued">
            {survey.scale.lowLabel}
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {survey.scale.highLabel}
          </Text>
        </InlineStack>
        {category && (
          <BlockStack gap="100">
            <Text as="p">{survey.followUp[category]}</Text>
            <Box padding="200" background="bg-surface-secondary" borderRadius="100">
              <Text as="span" tone="subdued">
                {survey.commentPlaceholder}
              </Text>
            </Box>
            <Text as="p" tone="subdued" variant="bodySm">
              Then: “{survey.thankYou[category]}”
            </Text>
          </BlockStack>
        )}
      </BlockStack>
    </Box>
  );
}
