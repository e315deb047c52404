import { describeSurveyApi } from "./survey-api.shared";

describeSurveyApi("postgresql");
