import { describeSurveyTiming } from "./survey-timing.shared";

describeSurveyTiming("postgresql");
