/**
 * Somebody else's CDK app, as README "Use in your own CDK app" shows it, with key-audit installed from the
 * packed tarball beside aws-cdk-lib and constructs (no esbuild, no key-audit sources). `node app.mjs
 * <outdir>` synthesizes into <outdir>, fails if a stack lacks the scanner's function or topics, and prints
 * what each stack holds as JSON.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Size, Stack, TimeZone } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { KeyAuditMemberRole, KeyAuditRemediationRole, KeyAuditScanner } from 'key-audit/cdk';

const app = new App({ outdir: process.argv[2] });

// No props: scans the scanner's own account with the default policy; weekly report, daily alerts.
const plain = new Stack(app, 'PlainScanner');
new KeyAuditScanner(plain, 'KeyAudit');

// Some props, an alert topic the team already has, enforcement, and the roles of the scanned account.
const custom = new Stack(app, 'CustomScanner');
const onCall = new Topic(custom, 'OnCall');
const scanner = new KeyAuditScanner(custom, 'KeyAudit', {
  accounts: ['111122223333'],
  memberRoleName: 'AuditRead',
  scannerRoleName: 'audit-scanner',
  maxKeyAgeDays: 60,
  memorySize: Size.gibibytes(2),
  timeout: Duration.minutes(10),
  reportSchedule: { weekDay: 'MON-FRI', hour: 7, timeZone: TimeZone.EUROPE_BERLIN },
  alertTopic: onCall,
  historyRetention: Duration.days(731),
  securityHub: true,
  enforcement: { mode: 'apply', deleteAfterDays: 30 },
});
new KeyAuditMemberRole(custom, 'MemberRole', {
  roleName: 'AuditRead',
  scannerRoleArn: scanner.role.roleArn,
  securityHub: true,
});
new KeyAuditRemediationRole(custom, 'RemediationRole', {
  scannerRoleArn: scanner.role.roleArn,
  allowDelete: true,
});

const assembly = app.synth();
const summary = {};
for (const stack of assembly.stacks) {
  const resources = Object.values(stack.template.Resources);
  const ofType = (type) => resources.filter((resource) => resource.Type === type).map((r) => r.Properties);
  const [fn, ...more] = ofType('AWS::Lambda::Function');
  assert.ok(fn !== undefined && more.length === 0, `${stack.stackName}: expected one function`);
  assert.ok(ofType('AWS::SNS::Topic').length >= 1, `${stack.stackName}: expected topics`);
  const asset = join(assembly.directory, `asset.${fn.Code.S3Key.replace(/\.zip$/, '')}`);
  summary[stack.stackName] = {
    handler: fn.Handler,
    runtime: fn.Runtime,
    memorySize: fn.MemorySize,
    timeout: fn.Timeout,
    environment: fn.Environment.Variables,
    assetFiles: readdirSync(asset).sort(),
    topics: ofType('AWS::SNS::Topic').length,
    keys: ofType('AWS::KMS::Key').length,
    buckets: ofType('AWS::S3::Bucket').length,
    roleNames: ofType('AWS::IAM::Role')
      .map((role) => role.RoleName)
      .filter((name) => name !== undefined)
      .sort(),
    schedules: ofType('AWS::Scheduler::Schedule').map((schedule) => schedule.ScheduleExpression),
    outputs: Object.keys(stack.template.Outputs ?? {}),
  };
}
process.stdout.write(JSON.stringify(summary));
