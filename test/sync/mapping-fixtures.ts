const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GEN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';

/** The README's contact-centre mapping, as an operator writes it (YAML, through HRSYNC_CONFIG). */
export const CONTACT_CENTRE_YAML = `
mapping:
  attributes:
    - name: skills by job code
      target: ${GEN}:routingSkills
      from: job_code
      lookup:
        AGENT-BILLING: [{ name: Billing, proficiency: 4 }, { name: Payments, proficiency: 3 }]
        AGENT-TECH: [{ name: Tech Support, proficiency: 4 }, { name: Billing, proficiency: 1 }]
        AGENT-NEW: [{ name: Billing, proficiency: 2 }, { name: Juggling, proficiency: 1 }]
        TEAM-LEAD: [{ name: Escalations, proficiency: 5 }]
      default: []
    - name: languages spoken
      target: ${GEN}:routingLanguages
      from: languages
      transforms: [{ split: "," }, lower]
      lookup: { en: English, de: German, fr: French, es: Spanish }
      proficiency: 5
    - name: roles by job code
      target: roles
      from: job_code
      lookup: { AGENT-BILLING: [Agent], AGENT-TECH: [Agent], AGENT-NEW: [Agent, Overlord], TEAM-LEAD: [Agent, Supervisor] }
      default: [Employee]
    - name: division by location
      target: ${ENT}:division
      from: location
      lookup: { BER: EMEA, LON: EMEA, NYC: Americas }
      default: Home
    - name: mobile phone
      target: phoneNumbers[type eq "mobile"].value
      from: mobile_phone
      transforms: [e164]
`;
