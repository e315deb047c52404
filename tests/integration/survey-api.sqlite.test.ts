import { describeSurveyApi } from "./survey-api.shared";

describeSurveyApi("sqlite");
